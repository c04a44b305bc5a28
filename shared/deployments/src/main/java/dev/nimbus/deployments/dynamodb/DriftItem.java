package dev.nimbus.deployments.dynamodb;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a drift record ({@code itemType} DRIFT, PK {@code CONN#t#c}, SK {@code
 * DRIFT#<stack>#<nativeKey>}). {@code properties} is JSON text (values of any JSON type, kept
 * exact); {@code expiresAt} is set once a drift is resolved, so resolved records leave through the
 * table's TTL and open ones stay.
 */
@DynamoDbImmutable(builder = DriftItem.Builder.class)
public record DriftItem(
    @DynamoDbPartitionKey @DynamoDbAttribute("PK") String pk,
    @DynamoDbSortKey @DynamoDbAttribute("SK") String sk,
    String itemType,
    String tenantId,
    String connectionId,
    String stack,
    String nativeKey,
    String urn,
    String resourceType,
    String semanticType,
    String driftClass,
    String properties,
    String author,
    String taskId,
    String recommendation,
    String fingerprint,
    String status,
    Instant detectedAt,
    Instant resolvedAt,
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
    private String stack;
    private String nativeKey;
    private String urn;
    private String resourceType;
    private String semanticType;
    private String driftClass;
    private String properties;
    private String author;
    private String taskId;
    private String recommendation;
    private String fingerprint;
    private String status;
    private Instant detectedAt;
    private Instant resolvedAt;
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

    public Builder stack(String v) {
      stack = v;
      return this;
    }

    public Builder nativeKey(String v) {
      nativeKey = v;
      return this;
    }

    public Builder urn(String v) {
      urn = v;
      return this;
    }

    public Builder resourceType(String v) {
      resourceType = v;
      return this;
    }

    public Builder semanticType(String v) {
      semanticType = v;
      return this;
    }

    public Builder driftClass(String v) {
      driftClass = v;
      return this;
    }

    public Builder properties(String v) {
      properties = v;
      return this;
    }

    public Builder author(String v) {
      author = v;
      return this;
    }

    public Builder taskId(String v) {
      taskId = v;
      return this;
    }

    public Builder recommendation(String v) {
      recommendation = v;
      return this;
    }

    public Builder fingerprint(String v) {
      fingerprint = v;
      return this;
    }

    public Builder status(String v) {
      status = v;
      return this;
    }

    public Builder detectedAt(Instant v) {
      detectedAt = v;
      return this;
    }

    public Builder resolvedAt(Instant v) {
      resolvedAt = v;
      return this;
    }

    public Builder expiresAt(Long v) {
      expiresAt = v;
      return this;
    }

    public DriftItem build() {
      return new DriftItem(
          pk,
          sk,
          itemType,
          tenantId,
          connectionId,
          stack,
          nativeKey,
          urn,
          resourceType,
          semanticType,
          driftClass,
          properties,
          author,
          taskId,
          recommendation,
          fingerprint,
          status,
          detectedAt,
          resolvedAt,
          expiresAt);
    }
  }
}
