package dev.nimbus.cmdb.dynamodb;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;

/** Storage shape of an attribution (who, which task, when), nested in a change. */
@DynamoDbImmutable(builder = AttributionItem.Builder.class)
public record AttributionItem(String user, String taskId, String taskType, Instant time) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String user;
    private String taskId;
    private String taskType;
    private Instant time;

    public Builder user(String v) {
      user = v;
      return this;
    }

    public Builder taskId(String v) {
      taskId = v;
      return this;
    }

    public Builder taskType(String v) {
      taskType = v;
      return this;
    }

    public Builder time(Instant v) {
      time = v;
      return this;
    }

    public AttributionItem build() {
      return new AttributionItem(user, taskId, taskType, time);
    }
  }
}
