package dev.nimbus.deployments.dynamodb;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a CI-to-URN link ({@code itemType} CI_LINK, PK {@code CONN#t#c}, SK {@code
 * CILINK#<nativeKey>}): beside the CI item ({@code CI#<nativeKey>}), not in it, so the CI's content
 * hash and version do not change when Nimbus starts or stops managing it, and discovery's writes of
 * the CI never touch the link. One link per CI: the stack ({@code <project>/<stack>}) that manages
 * it, its URN and the run that linked it.
 */
@DynamoDbImmutable(builder = CiLinkItem.Builder.class)
public record CiLinkItem(
    @DynamoDbPartitionKey @DynamoDbAttribute("PK") String pk,
    @DynamoDbSortKey @DynamoDbAttribute("SK") String sk,
    String itemType,
    String tenantId,
    String connectionId,
    String nativeKey,
    String stack,
    String urn,
    Instant linkedAt) {

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
    private String nativeKey;
    private String stack;
    private String urn;
    private Instant linkedAt;

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

    public Builder nativeKey(String v) {
      nativeKey = v;
      return this;
    }

    public Builder stack(String v) {
      stack = v;
      return this;
    }

    public Builder urn(String v) {
      urn = v;
      return this;
    }

    public Builder linkedAt(Instant v) {
      linkedAt = v;
      return this;
    }

    public CiLinkItem build() {
      return new CiLinkItem(
          pk, sk, itemType, tenantId, connectionId, nativeKey, stack, urn, linkedAt);
    }
  }
}
