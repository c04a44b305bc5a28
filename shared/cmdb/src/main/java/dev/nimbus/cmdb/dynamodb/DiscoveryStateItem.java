package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.aws.TableKeys;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a connection's discovery state ({@code itemType} DISCOVERY_STATE, PK {@code
 * CONN#t#c}, SK {@code STATE}): the provider's cursor map and the capture time of the run that
 * stored it, under optimistic locking.
 */
@DynamoDbImmutable(builder = DiscoveryStateItem.Builder.class)
public record DiscoveryStateItem(
    @DynamoDbPartitionKey @DynamoDbAttribute(TableKeys.PK) String pk,
    @DynamoDbSortKey @DynamoDbAttribute(TableKeys.SK) String sk,
    String itemType,
    String tenantId,
    String connectionId,
    Map<String, String> providerState,
    Instant capturedAt,
    @DynamoDbVersionAttribute Long version) {

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
    private Map<String, String> providerState;
    private Instant capturedAt;
    private Long version;

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

    public Builder providerState(Map<String, String> v) {
      providerState = v;
      return this;
    }

    public Builder capturedAt(Instant v) {
      capturedAt = v;
      return this;
    }

    public Builder version(Long v) {
      version = v;
      return this;
    }

    public DiscoveryStateItem build() {
      return new DiscoveryStateItem(
          pk, sk, itemType, tenantId, connectionId, providerState, capturedAt, version);
    }
  }
}
