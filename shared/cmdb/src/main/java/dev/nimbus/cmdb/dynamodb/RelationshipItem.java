package dev.nimbus.cmdb.dynamodb;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;

/** Storage shape of one relationship of a CI. */
@DynamoDbImmutable(builder = RelationshipItem.Builder.class)
public record RelationshipItem(
    String kind, String targetId, String targetNativeKey, String qualifier) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String kind;
    private String targetId;
    private String targetNativeKey;
    private String qualifier;

    public Builder kind(String v) {
      kind = v;
      return this;
    }

    public Builder targetId(String v) {
      targetId = v;
      return this;
    }

    public Builder targetNativeKey(String v) {
      targetNativeKey = v;
      return this;
    }

    public Builder qualifier(String v) {
      qualifier = v;
      return this;
    }

    public RelationshipItem build() {
      return new RelationshipItem(kind, targetId, targetNativeKey, qualifier);
    }
  }
}
