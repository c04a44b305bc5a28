package dev.nimbus.cmdb.dynamodb;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbIgnoreNulls;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;

/**
 * Storage shape of a change: a CI item's {@code lastChange} and a history item's {@code change}.
 */
@DynamoDbImmutable(builder = ChangeItem.Builder.class)
public record ChangeItem(
    String changeType,
    @DynamoDbIgnoreNulls List<ChangedPropertyItem> changedProperties,
    @DynamoDbIgnoreNulls AttributionItem attribution,
    Instant capturedAt) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String changeType;
    private List<ChangedPropertyItem> changedProperties;
    private AttributionItem attribution;
    private Instant capturedAt;

    public Builder changeType(String v) {
      changeType = v;
      return this;
    }

    public Builder changedProperties(List<ChangedPropertyItem> v) {
      changedProperties = v;
      return this;
    }

    public Builder attribution(AttributionItem v) {
      attribution = v;
      return this;
    }

    public Builder capturedAt(Instant v) {
      capturedAt = v;
      return this;
    }

    public ChangeItem build() {
      return new ChangeItem(changeType, changedProperties, attribution, capturedAt);
    }
  }
}
