package dev.nimbus.wizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.connections.KmsEnvelopeTokenCipher;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Starting a preview on the AWS emulator, as the wizard's {@code POST /api/preview} does: a
 * launched preview waits, request encrypted, for its second invocation; a preview whose launch is
 * refused is failed at once with the answer the caller gave, and its request is gone.
 */
@ExtendWith(AwsEmulatorExtension.class)
class PreviewJobsIT {
  private static final String TOKEN_SECRET = "c3f1d7a2-preview-jobs-it-secret";
  private static final ConnectionRef REF = new ConnectionRef("acme", "lab");

  private static DynamoDbClient dynamo;
  private static String table;
  private static PreviewJobs jobs;

  @BeforeAll
  static void start(AwsTestEnvironment aws) {
    dynamo = aws.clients().dynamoDb();
    table = aws.tableName();
    jobs =
        new PreviewJobs(
            dynamo,
            table,
            new KmsEnvelopeTokenCipher(aws.clients().kms(), aws.keyAlias()),
            Clock.systemUTC());
  }

  private static Secret request() {
    return Secret.of("{\"tokenSecret\":\"" + TOKEN_SECRET + "\"}");
  }

  private static Map<String, AttributeValue> item(String previewId) {
    return dynamo
        .getItem(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .key(
                        Map.of(
                            TableKeys.PK,
                            AttributeValue.fromS(TableKeys.tenantPk(REF.tenantId())),
                            TableKeys.SK,
                            AttributeValue.fromS(TableKeys.previewSk(previewId)))))
        .item();
  }

  @Test
  void aLaunchedPreviewWaitsWithItsRequestEncryptedForTheSecondInvocation() {
    List<String> launched = new ArrayList<>();

    String id =
        jobs.startAndLaunch(
            REF,
            request(),
            (tenant, previewId) -> launched.add(tenant + "/" + previewId),
            503,
            "{}");

    assertThat(launched).containsExactly("acme/" + id);
    assertThat(jobs.get("acme", id))
        .get()
        .extracting(PreviewJobs.Job::status)
        .isEqualTo(PreviewJobs.Status.RUNNING);
    assertThat(item(id)).containsKey("request");
    assertThat(item(id).toString()).doesNotContain(TOKEN_SECRET);
    try (PreviewJobs.Claimed claimed = jobs.claim("acme", id).orElseThrow()) {
      assertThat(claimed.request().reveal()).contains(TOKEN_SECRET);
    }
  }

  @Test
  void aPreviewWhoseLaunchIsRefusedIsFailedAtOnceAndKeepsNoRequest() {
    String answer = "{\"status\":503,\"detail\":\"start the preview again\"}";
    List<String> started = new ArrayList<>();

    assertThatThrownBy(
            () ->
                jobs.startAndLaunch(
                    REF,
                    request(),
                    (tenant, previewId) -> {
                      started.add(previewId);
                      throw TooManyRequestsException.builder().message("Rate exceeded").build();
                    },
                    503,
                    answer))
        .isInstanceOf(TooManyRequestsException.class);

    String id = started.getFirst();
    PreviewJobs.Job job = jobs.get("acme", id).orElseThrow();
    assertThat(job.status()).isEqualTo(PreviewJobs.Status.FAILED);
    assertThat(job.httpStatus()).isEqualTo(503);
    assertThat(job.answerJson()).isEqualTo(answer);
    // Nothing would ever claim it, and the encrypted token request is not kept for the hour.
    assertThat(item(id)).doesNotContainKey("request");
    assertThat(jobs.claim("acme", id)).isEmpty();
  }
}
