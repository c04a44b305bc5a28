package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.aws.TableKeys;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a discovery run record ({@code itemType} RUN, PK {@code CONN#t#c}, SK {@code
 * RUN#<start instant>}); {@code expiresAt} lets the TTL remove old runs like old history.
 */
@DynamoDbImmutable(builder = RunItem.Builder.class)
public record RunItem(
    @DynamoDbPartitionKey @DynamoDbAttribute(TableKeys.PK) String pk,
    @DynamoDbSortKey @DynamoDbAttribute(TableKeys.SK) String sk,
    String itemType,
    String tenantId,
    String connectionId,
    Instant startedAt,
    Instant finishedAt,
    Long durationMillis,
    Integer created,
    Integer updated,
    Integer recovered,
    Integer deleted,
    Integer unchanged,
    Integer unreachable,
    Long providerCalls,
    Long dynamoDbWriteRequests,
    Long dynamoDbWrittenItems,
    Set<String> partialScopes,
    List<String> errors,
    Long expiresAt) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String pk;
    private String sk;
    private String itemType;
    private String tenantId;
    private String connectionId;
    private Instant startedAt;
    private Instant finishedAt;
    private Long durationMillis;
    private Integer created;
    private Integer updated;
    private Integer recovered;
    private Integer deleted;
    private Integer unchanged;
    private Integer unreachable;
    private Long providerCalls;
    private Long dynamoDbWriteRequests;
    private Long dynamoDbWrittenItems;
    private Set<String> partialScopes;
    private List<String> errors;
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

    public Builder tenantId(String v) {
      tenantId = v;
      return this;
    }

    public Builder connectionId(String v) {
      connectionId = v;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder finishedAt(Instant v) {
      finishedAt = v;
      return this;
    }

    public Builder durationMillis(Long v) {
      durationMillis = v;
      return this;
    }

    public Builder created(Integer v) {
      created = v;
      return this;
    }

    public Builder updated(Integer v) {
      updated = v;
      return this;
    }

    public Builder recovered(Integer v) {
      recovered = v;
      return this;
    }

    public Builder deleted(Integer v) {
      deleted = v;
      return this;
    }

    public Builder unchanged(Integer v) {
      unchanged = v;
      return this;
    }

    public Builder unreachable(Integer v) {
      unreachable = v;
      return this;
    }

    public Builder providerCalls(Long v) {
      providerCalls = v;
      return this;
    }

    public Builder dynamoDbWriteRequests(Long v) {
      dynamoDbWriteRequests = v;
      return this;
    }

    public Builder dynamoDbWrittenItems(Long v) {
      dynamoDbWrittenItems = v;
      return this;
    }

    public Builder partialScopes(Set<String> v) {
      partialScopes = v;
      return this;
    }

    public Builder errors(List<String> v) {
      errors = v;
      return this;
    }

    public Builder expiresAt(Long v) {
      expiresAt = v;
      return this;
    }

    public RunItem build() {
      return new RunItem(
          pk,
          sk,
          itemType,
          tenantId,
          connectionId,
          startedAt,
          finishedAt,
          durationMillis,
          created,
          updated,
          recovered,
          deleted,
          unchanged,
          unreachable,
          providerCalls,
          dynamoDbWriteRequests,
          dynamoDbWrittenItems,
          partialScopes,
          errors,
          expiresAt);
    }
  }
}
