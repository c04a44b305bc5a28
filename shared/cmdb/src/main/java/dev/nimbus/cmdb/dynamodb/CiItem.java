package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.aws.WriteIds;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbIgnoreNulls;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a CI ({@code itemType} CI, PK {@code CONN#t#c}, SK {@code CI#<nativeKey>}). It
 * carries the whole CI and its {@code lastChange}, so a stream consumer can build an AWS Config
 * style change event from the new image alone ({@link CiItemCodec}). {@code attributes} is the
 * canonical JSON of the normalized attributes; a very large one is stored gzip-compressed in {@code
 * attributesGzip} instead. {@code relationshipIndex} holds {@code KIND targetNativeKey} strings for
 * relationship queries. GSI keys are unset on deleted CIs (sparse indexes). {@code writeId} names
 * the {@code TransactWriteItems} that stored this state (a random id per call, in the shared {@link
 * WriteIds#ATTRIBUTE} attribute), so a retried transaction whose first attempt was applied but lost
 * its answer can be recognised as applied ({@link DynamoDbCiRepository#write}).
 */
@DynamoDbImmutable(builder = CiItem.Builder.class)
public record CiItem(
    @DynamoDbPartitionKey @DynamoDbAttribute(TableKeys.PK) String pk,
    @DynamoDbSortKey @DynamoDbAttribute(TableKeys.SK) String sk,
    String itemType,
    @DynamoDbSecondaryPartitionKey(indexNames = TableKeys.GSI1) @DynamoDbAttribute(TableKeys.GSI1PK)
        String gsi1pk,
    @DynamoDbSecondarySortKey(indexNames = TableKeys.GSI1) @DynamoDbAttribute(TableKeys.GSI1SK)
        String gsi1sk,
    @DynamoDbSecondaryPartitionKey(indexNames = TableKeys.GSI2) @DynamoDbAttribute(TableKeys.GSI2PK)
        String gsi2pk,
    @DynamoDbSecondarySortKey(indexNames = TableKeys.GSI2) @DynamoDbAttribute(TableKeys.GSI2SK)
        String gsi2sk,
    String ciId,
    String tenantId,
    String connectionId,
    String provider,
    String nativeKey,
    String semanticType,
    String providerType,
    String name,
    String scope,
    String attributes,
    SdkBytes attributesGzip,
    @DynamoDbIgnoreNulls List<RelationshipItem> relationships,
    Set<String> relationshipIndex,
    String status,
    Long configurationStateId,
    String contentHash,
    Instant firstSeen,
    Instant lastChanged,
    @DynamoDbVersionAttribute Long version,
    @DynamoDbIgnoreNulls ChangeItem lastChange,
    @DynamoDbAttribute(WriteIds.ATTRIBUTE) String writeId) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String pk;
    private String sk;
    private String itemType;
    private String gsi1pk;
    private String gsi1sk;
    private String gsi2pk;
    private String gsi2sk;
    private String ciId;
    private String tenantId;
    private String connectionId;
    private String provider;
    private String nativeKey;
    private String semanticType;
    private String providerType;
    private String name;
    private String scope;
    private String attributes;
    private SdkBytes attributesGzip;
    private List<RelationshipItem> relationships;
    private Set<String> relationshipIndex;
    private String status;
    private Long configurationStateId;
    private String contentHash;
    private Instant firstSeen;
    private Instant lastChanged;
    private Long version;
    private String writeId;
    private ChangeItem lastChange;

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

    public Builder gsi1pk(String v) {
      gsi1pk = v;
      return this;
    }

    public Builder gsi1sk(String v) {
      gsi1sk = v;
      return this;
    }

    public Builder gsi2pk(String v) {
      gsi2pk = v;
      return this;
    }

    public Builder gsi2sk(String v) {
      gsi2sk = v;
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

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder nativeKey(String v) {
      nativeKey = v;
      return this;
    }

    public Builder semanticType(String v) {
      semanticType = v;
      return this;
    }

    public Builder providerType(String v) {
      providerType = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder scope(String v) {
      scope = v;
      return this;
    }

    public Builder attributes(String v) {
      attributes = v;
      return this;
    }

    public Builder attributesGzip(SdkBytes v) {
      attributesGzip = v;
      return this;
    }

    public Builder relationships(List<RelationshipItem> v) {
      relationships = v;
      return this;
    }

    public Builder relationshipIndex(Set<String> v) {
      relationshipIndex = v;
      return this;
    }

    public Builder status(String v) {
      status = v;
      return this;
    }

    public Builder configurationStateId(Long v) {
      configurationStateId = v;
      return this;
    }

    public Builder contentHash(String v) {
      contentHash = v;
      return this;
    }

    public Builder firstSeen(Instant v) {
      firstSeen = v;
      return this;
    }

    public Builder lastChanged(Instant v) {
      lastChanged = v;
      return this;
    }

    public Builder version(Long v) {
      version = v;
      return this;
    }

    public Builder lastChange(ChangeItem v) {
      lastChange = v;
      return this;
    }

    public Builder writeId(String v) {
      writeId = v;
      return this;
    }

    public CiItem build() {
      return new CiItem(
          pk,
          sk,
          itemType,
          gsi1pk,
          gsi1sk,
          gsi2pk,
          gsi2sk,
          ciId,
          tenantId,
          connectionId,
          provider,
          nativeKey,
          semanticType,
          providerType,
          name,
          scope,
          attributes,
          attributesGzip,
          relationships,
          relationshipIndex,
          status,
          configurationStateId,
          contentHash,
          firstSeen,
          lastChanged,
          version,
          lastChange,
          writeId);
    }
  }
}
