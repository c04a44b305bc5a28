package dev.nimbus.testing.aws;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The DynamoDB table exactly as {@code template.yaml} declares it (keys, indexes, stream, TTL,
 * point-in-time recovery), so tests and the local run use the same table a deployment gets and the
 * two cannot drift apart. CloudFormation tags ({@code !Ref}, {@code !Sub}) are read as plain
 * values; only literal table properties are used.
 */
public final class TemplateTable {
  private final Map<String, Object> properties;

  private TemplateTable(Map<String, Object> properties) {
    this.properties = properties;
  }

  /** Reads the (single) {@code AWS::DynamoDB::Table} resource of a template. */
  @SuppressWarnings("unchecked")
  public static TemplateTable read(Path template) {
    Map<String, Object> root;
    try (Reader in = Files.newBufferedReader(template)) {
      root = new Yaml(new CloudFormationConstructor()).load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + template + ": " + e.getMessage(), e);
    }
    Map<String, Object> resources = (Map<String, Object>) root.get("Resources");
    List<Map<String, Object>> tables = new ArrayList<>();
    for (Object r : resources.values()) {
      Map<String, Object> resource = (Map<String, Object>) r;
      if ("AWS::DynamoDB::Table".equals(resource.get("Type"))) {
        tables.add((Map<String, Object>) resource.get("Properties"));
      }
    }
    if (tables.size() != 1) {
      throw new IllegalStateException(
          template + " declares " + tables.size() + " DynamoDB tables, expected exactly one");
    }
    return new TemplateTable(tables.getFirst());
  }

  /** Finds {@code template.yaml} in the working directory or one of its parents. */
  public static Path locateTemplate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("template.yaml");
      if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "template.yaml not found in " + Path.of("").toAbsolutePath() + " or its parents");
  }

  /** The CreateTable request for a table of this shape named {@code tableName}. */
  @SuppressWarnings("unchecked")
  public CreateTableRequest createRequest(String tableName) {
    var builder =
        CreateTableRequest.builder()
            .tableName(tableName)
            .billingMode(BillingMode.fromValue((String) properties.get("BillingMode")))
            .attributeDefinitions(
                list("AttributeDefinitions").stream()
                    .map(
                        a ->
                            AttributeDefinition.builder()
                                .attributeName((String) a.get("AttributeName"))
                                .attributeType((String) a.get("AttributeType"))
                                .build())
                    .toList())
            .keySchema(keySchema(list("KeySchema")));
    List<Map<String, Object>> gsis = list("GlobalSecondaryIndexes");
    if (!gsis.isEmpty()) {
      builder.globalSecondaryIndexes(
          gsis.stream()
              .map(
                  g ->
                      GlobalSecondaryIndex.builder()
                          .indexName((String) g.get("IndexName"))
                          .keySchema(keySchema((List<Map<String, Object>>) g.get("KeySchema")))
                          .projection(
                              Projection.builder()
                                  .projectionType(
                                      (String)
                                          ((Map<String, Object>) g.get("Projection"))
                                              .get("ProjectionType"))
                                  .build())
                          .build())
              .toList());
    }
    Map<String, Object> stream = (Map<String, Object>) properties.get("StreamSpecification");
    if (stream != null) {
      builder.streamSpecification(
          StreamSpecification.builder()
              .streamEnabled(true)
              .streamViewType(StreamViewType.fromValue((String) stream.get("StreamViewType")))
              .build());
    }
    return builder.build();
  }

  /** The TTL attribute name, or null when the template sets none. */
  @SuppressWarnings("unchecked")
  public String ttlAttribute() {
    Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
    return ttl == null ? null : (String) ttl.get("AttributeName");
  }

  /** True when the template enables point-in-time recovery. */
  @SuppressWarnings("unchecked")
  public boolean pointInTimeRecovery() {
    Map<String, Object> pitr =
        (Map<String, Object>) properties.get("PointInTimeRecoverySpecification");
    return pitr != null && Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"));
  }

  /** Creates the table, waits until it is active and applies TTL and point-in-time recovery. */
  public void create(DynamoDbClient dynamo, String tableName) {
    dynamo.createTable(createRequest(tableName));
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    String ttl = ttlAttribute();
    if (ttl != null) {
      dynamo.updateTimeToLive(
          b ->
              b.tableName(tableName)
                  .timeToLiveSpecification(s -> s.attributeName(ttl).enabled(true)));
    }
    if (pointInTimeRecovery()) {
      dynamo.updateContinuousBackups(
          b ->
              b.tableName(tableName)
                  .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> list(String key) {
    Object value = properties.get(key);
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  private static List<KeySchemaElement> keySchema(List<Map<String, Object>> elements) {
    return elements.stream()
        .map(
            k ->
                KeySchemaElement.builder()
                    .attributeName((String) k.get("AttributeName"))
                    .keyType((String) k.get("KeyType"))
                    .build())
        .toList();
  }

  /** Reads CloudFormation's short-form intrinsic tags as the plain node beneath them. */
  private static final class CloudFormationConstructor extends SafeConstructor {
    CloudFormationConstructor() {
      super(new LoaderOptions());
    }

    @Override
    protected Object constructObject(Node node) {
      if (node.getTag().getValue().startsWith("!")) {
        Tag plain =
            switch (node) {
              case ScalarNode s -> Tag.STR;
              case SequenceNode s -> Tag.SEQ;
              case MappingNode m -> Tag.MAP;
              default -> node.getTag();
            };
        node.setTag(plain);
      }
      return super.constructObject(node);
    }
  }
}
