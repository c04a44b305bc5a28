package dev.nimbus.coldstart;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.aws.TableKeys;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The AWS SDK's floor for {@code bin/coldstart}, without Spring: a JVM that builds the DynamoDB
 * client the way every function does ({@link AwsClients#fromEnvironment()}: the URL-connection HTTP
 * client, the default credential chain, the region from {@code AWS_REGION}) and sends the schedule
 * tick's one Query (GSI1, the {@code SCHEDULE} partition). It prints the same line as {@link
 * ColdStartProbe}. No function can start faster than this on the same JVM set-up, whatever its
 * framework.
 *
 * <p>Usage: {@code SdkFloorProbe <name> <event.json>} (the event is not read; the arguments match
 * the function probe's so the driver starts both alike); {@code TABLE_NAME} from the environment.
 */
public final class SdkFloorProbe {
  private SdkFloorProbe() {}

  public static void main(String[] args) {
    AwsClients clients = AwsClients.fromEnvironment();
    DynamoDbClient dynamo = clients.dynamoDb();
    Instant initialised = Instant.now();
    QueryResponse response =
        dynamo.query(
            q ->
                q.tableName(System.getenv("TABLE_NAME"))
                    .indexName(TableKeys.GSI1)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", TableKeys.GSI1PK))
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(TableKeys.SCHEDULE_PARTITION))));
    Instant handled = Instant.now();
    long cpu =
        ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(-1L);
    System.out.println(
        ColdStartProbe.MARKER
            + " initialised="
            + ColdStartProbe.micros(initialised)
            + " restored="
            + ColdStartProbe.micros(initialised)
            + " handled="
            + ColdStartProbe.micros(handled)
            + " primed=0 cpu="
            + cpu
            + " answer={\"count\":"
            + response.count()
            + "}");
    System.out.flush();
    System.exit(0);
  }
}
