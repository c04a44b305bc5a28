package dev.nimbus.cmdb.dynamodb;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;

/**
 * Storage shape of one changed property, as in AWS Config: the path, the change type ({@code
 * CREATE}, {@code UPDATE}, {@code DELETE}) and the previous and updated values as canonical JSON
 * text (absent when the value was absent), so any value, a scalar or a whole NIC, keeps its type.
 */
@DynamoDbImmutable(builder = ChangedPropertyItem.Builder.class)
public record ChangedPropertyItem(
    String path, String changeType, String previousValue, String updatedValue) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String path;
    private String changeType;
    private String previousValue;
    private String updatedValue;

    public Builder path(String v) {
      path = v;
      return this;
    }

    public Builder changeType(String v) {
      changeType = v;
      return this;
    }

    public Builder previousValue(String v) {
      previousValue = v;
      return this;
    }

    public Builder updatedValue(String v) {
      updatedValue = v;
      return this;
    }

    public ChangedPropertyItem build() {
      return new ChangedPropertyItem(path, changeType, previousValue, updatedValue);
    }
  }
}
