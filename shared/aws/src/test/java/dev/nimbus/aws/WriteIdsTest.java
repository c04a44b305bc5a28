package dev.nimbus.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The read-back of {@link WriteIds}. The call sites' ITs (connections, webhooks) prove the
 * lost-answer cases on the emulator; what they cannot see is that the read is consistent (the
 * emulator answers every read consistently), and an eventually consistent read may miss the write
 * that was just applied and turn it back into a conflict. So this test looks at the request sent.
 */
class WriteIdsTest {
  private static final Key KEY = TableDocuments.key("TENANT#acme", "CONN#lab");

  /** Answers GetItem from one stored item (or none) and keeps the requests. */
  private static final class OneItem implements DynamoDbClient {
    final List<GetItemRequest> requests = new ArrayList<>();
    final Map<String, AttributeValue> item;

    OneItem(Map<String, AttributeValue> item) {
      this.item = item;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
      requests.add(request);
      return item == null
          ? GetItemResponse.builder().build()
          : GetItemResponse.builder().item(item).build();
    }

    @Override
    public String serviceName() {
      return SERVICE_NAME;
    }

    @Override
    public void close() {}
  }

  private static Map<String, AttributeValue> item(String writeId) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TableKeys.PK, AttributeValue.fromS("TENANT#acme"));
    item.put(TableKeys.SK, AttributeValue.fromS("CONN#lab"));
    if (writeId != null) {
      item.put("writeId", AttributeValue.fromS(writeId));
    }
    return item;
  }

  private static DynamoDbTable<EnhancedDocument> table(DynamoDbClient client) {
    return TableDocuments.table(
        DynamoDbEnhancedClient.builder().dynamoDbClient(client).build(), "nimbus");
  }

  @Test
  void theItemIsReadConsistentlyAtItsKeyAndOurIdOnItMeansOurWrite() {
    String ours = WriteIds.newWriteId();
    OneItem dynamo = new OneItem(item(ours));

    assertThat(WriteIds.itemCarries(table(dynamo), KEY, ours)).isTrue();

    assertThat(dynamo.requests).hasSize(1);
    GetItemRequest read = dynamo.requests.getFirst();
    assertThat(read.consistentRead()).isTrue();
    assertThat(read.tableName()).isEqualTo("nimbus");
    assertThat(read.key())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                TableKeys.PK, AttributeValue.fromS("TENANT#acme"),
                TableKeys.SK, AttributeValue.fromS("CONN#lab")));
  }

  @Test
  void anotherWritersIdNoIdOrNoItemIsNotOurWrite() {
    String ours = WriteIds.newWriteId();

    assertThat(WriteIds.itemCarries(table(new OneItem(item(WriteIds.newWriteId()))), KEY, ours))
        .as("another writer's write won")
        .isFalse();
    assertThat(WriteIds.itemCarries(table(new OneItem(item(null))), KEY, ours))
        .as("an item written before write ids, or by a write that sets none")
        .isFalse();
    assertThat(WriteIds.itemCarries(table(new OneItem(null)), KEY, ours))
        .as("deleted meanwhile")
        .isFalse();
  }
}
