package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.aws.TableKeys;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbIgnoreNulls;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a history entry ({@code itemType} CI_HISTORY, PK {@code CI#<ciId>}, SK {@code
 * S#<state id, 12 digits>}); {@code expiresAt} (epoch seconds) is the table's TTL attribute.
 */
@DynamoDbImmutable(builder = CiHistoryItem.Builder.class)
public record CiHistoryItem(
    @DynamoDbPartitionKey @DynamoDbAttribute(TableKeys.PK) String pk,
    @DynamoDbSortKey @DynamoDbAttribute(TableKeys.SK) String sk,
    String itemType,
    String ciId,
    String tenantId,
    String connectionId,
    String nativeKey,
    Long configurationStateId,
    String status,
    @DynamoDbIgnoreNulls ChangeItem change,
    Long expiresAt) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String pk;
    private String sk;
    private String itemType;
    private String ciId;
    private String tenantId;
    private String connectionId;
    private String nativeKey;
    private Long configurationStateId;
    private String status;
    private ChangeItem change;
    private Long expiresAt;

    public Builder pk(String v) {
      pk = v;
      return this;
    }

    public Builder sk(String v) {
      sk = v;
      return this;
    }

    public Builder itemType(String v) {
      itemType = v;
      return this;
    }

    public Builder ciId(String v) {
      ciId = v;
      return this;
    }

    public Builder tenantId(String v) {
      tenantId = v;
      return this;
    }

    public Builder connectionId(String v) {
      connectionId = v;
      return this;
    }

    public Builder nativeKey(String v) {
      nativeKey = v;
      return this;
    }

    public Builder configurationStateId(Long v) {
      configurationStateId = v;
      return this;
    }

    public Builder status(String v) {
      status = v;
      return this;
    }

    public Builder change(ChangeItem v) {
      change = v;
      return this;
    }

    public Builder expiresAt(Long v) {
      expiresAt = v;
      return this;
    }

    public CiHistoryItem build() {
      return new CiHistoryItem(
          pk,
          sk,
          itemType,
          ciId,
          tenantId,
          connectionId,
          nativeKey,
          configurationStateId,
          status,
          change,
          expiresAt);
    }
  }
}
