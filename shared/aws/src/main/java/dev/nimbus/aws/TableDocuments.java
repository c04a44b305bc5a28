package dev.nimbus.aws;

import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Nimbus table through the Enhanced Client's document schema: the keys and indexes of {@link
 * TableKeys}, for item types whose mapping is written by hand (connections, audit entries,
 * webhooks), so that they are read and written with the same client, requests and paginators as the
 * CMDB's annotated items. A document is built from, and turned back into, the item map the type's
 * own mapper produces.
 */
public final class TableDocuments {
  /** Primary key, GSI1 and GSI2, all string keys. */
  public static final TableSchema<EnhancedDocument> SCHEMA =
      TableSchema.documentSchemaBuilder()
          .addIndexPartitionKey(
              TableMetadata.primaryIndexName(), TableKeys.PK, AttributeValueType.S)
          .addIndexSortKey(TableMetadata.primaryIndexName(), TableKeys.SK, AttributeValueType.S)
          .addIndexPartitionKey(TableKeys.GSI1, TableKeys.GSI1PK, AttributeValueType.S)
          .addIndexSortKey(TableKeys.GSI1, TableKeys.GSI1SK, AttributeValueType.S)
          .addIndexPartitionKey(TableKeys.GSI2, TableKeys.GSI2PK, AttributeValueType.S)
          .addIndexSortKey(TableKeys.GSI2, TableKeys.GSI2SK, AttributeValueType.S)
          .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
          .build();

  private TableDocuments() {}

  /** The table {@code tableName} as documents. */
  public static DynamoDbTable<EnhancedDocument> table(
      DynamoDbEnhancedClient enhanced, String tableName) {
    return enhanced.table(tableName, SCHEMA);
  }

  /** A document holding exactly {@code item}. */
  public static EnhancedDocument of(Map<String, AttributeValue> item) {
    return EnhancedDocument.fromAttributeValueMap(item);
  }

  /** The primary key {@code PK}, {@code SK}. */
  public static Key key(String pk, String sk) {
    return Key.builder().partitionValue(pk).sortValue(sk).build();
  }
}
