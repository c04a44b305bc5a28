package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.connections.SecretContext;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.testing.aws.TemplateTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The image and the template against the code: the plugin version the image installs is the one the
 * programs were written for, downloads are checked, the function gets every variable the
 * application requires, and its policies are the ones the README promises. (The image itself cannot
 * be built here: no Docker engine, no access to the release files.)
 */
class PackagingTest {
  static String dockerfile;
  static Map<String, Object> resources;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    Path template = TemplateTable.locateTemplate();
    dockerfile =
        Files.readString(template.getParent().resolve("functions/pulumi-runner/Dockerfile"));
    try (Reader in = Files.newBufferedReader(template)) {
      Map<String, Object> root = new Yaml(new PlainTags()).load(in);
      resources = (Map<String, Object>) root.get("Resources");
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String... path) {
    Object at = o;
    for (String p : path) {
      at = ((Map<String, Object>) at).get(p);
    }
    return (Map<String, Object>) at;
  }

  static String arg(String name) {
    Matcher m = Pattern.compile("(?m)^ARG " + name + "(=(\\S+))?$").matcher(dockerfile);
    assertThat(m.find()).as("ARG " + name + " in the Dockerfile").isTrue();
    return m.group(2);
  }

  @Test
  void theImageInstallsThePinnedPluginAndChecksEveryDownload() {
    assertThat(arg("PROXMOXVE_VERSION")).isEqualTo(ProxmoxVePackage.VERSION);
    assertThat(arg("PULUMI_VERSION")).matches("3\\.\\d+\\.\\d+");
    // No checksum is pretended: the build arguments have no default and are verified.
    assertThat(arg("PULUMI_SHA256")).isNull();
    assertThat(arg("PROXMOXVE_SHA256")).isNull();
    assertThat(dockerfile).contains("sha256sum -c SHA256SUMS");
    assertThat(dockerfile.indexOf("sha256sum -c")).isLessThan(dockerfile.indexOf("tar -xzf"));
    assertThat(
            Pattern.compile("(?m)^FROM (\\S+)")
                .matcher(dockerfile)
                .results()
                .map(r -> r.group(1))
                .toList())
        .containsOnly("public.ecr.aws/lambda/java:25");
    assertThat(dockerfile)
        .contains("PULUMI_HOME=/tmp/pulumi-home")
        .contains("-Djava.util.concurrent.ForkJoinPool.common.parallelism=8")
        .contains("MAIN_CLASS=" + PulumiRunnerApplication.class.getName())
        .contains("COPY target/function.jar");
  }

  @Test
  void theFunctionIsAnImageWithEveryVariableTheApplicationRequires() throws IOException {
    Map<String, Object> fn = map(resources, "PulumiRunnerFunction", "Properties");
    assertThat(fn.get("PackageType")).isEqualTo("Image");
    assertThat(map(fn, "Code")).containsEntry("ImageUri", "PulumiRunnerImageUri");
    Map<String, Object> env = map(fn, "Environment", "Variables");

    // Every ${VARIABLE} application.properties reads without a default, except AWS_REGION, which
    // Lambda sets itself.
    String properties;
    try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
      properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> required = new TreeSet<>();
    Pattern.compile("\\$\\{([A-Z_]+):}")
        .matcher(properties)
        .results()
        .forEach(r -> required.add(r.group(1)));
    required.remove("AWS_REGION");
    assertThat(required).contains("TABLE_NAME", "PULUMI_STATE_BUCKET", "PULUMI_KMS_KEY");
    assertThat(env).containsKeys(required.toArray(String[]::new));
    assertThat(env)
        .containsEntry("MAIN_CLASS", PulumiRunnerApplication.class.getName())
        .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "deploy")
        .containsEntry("PULUMI_STATE_BUCKET", "PulumiStateBucket")
        .containsEntry("PULUMI_KMS_KEY", "PulumiSecretsKeyAlias")
        .containsEntry("PULUMI_HOME", "/tmp/pulumi-home");
    assertThat((String) env.get("JAVA_TOOL_OPTIONS"))
        .contains("-Djava.util.concurrent.ForkJoinPool.common.parallelism=8");
    assertThat(Integer.parseInt((String) env.get("PULUMI_FORWARDER_PORT"))).isBetween(1, 65535);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theStateBucketIsVersionedEncryptedAndPrivateAndTheRoleIsLeastPrivilege() {
    Map<String, Object> bucket = map(resources, "PulumiStateBucket", "Properties");
    assertThat(map(bucket, "VersioningConfiguration")).containsEntry("Status", "Enabled");
    assertThat(map(bucket, "BucketEncryption")).isNotEmpty();
    assertThat(map(bucket, "PublicAccessBlockConfiguration").values())
        .hasSize(4)
        .containsOnly(true);

    List<Map<String, Object>> statements =
        (List<Map<String, Object>>)
            map(
                    ((List<Map<String, Object>>)
                            map(resources, "PulumiRunnerRole", "Properties").get("Policies"))
                        .getFirst(),
                    "PolicyDocument")
                .get("Statement");
    assertThat(statements).noneMatch(s -> String.valueOf(s.get("Action")).contains("*"));
    Map<String, Object> decrypt =
        statements.stream()
            .filter(s -> "DecryptConnectionSecretsOnly".equals(s.get("Sid")))
            .findFirst()
            .orElseThrow();
    assertThat(decrypt.get("Resource")).isEqualTo("TokenKey.Arn");
    assertThat(
            (List<String>)
                map(decrypt, "Condition", "StringLike").get("kms:EncryptionContext:purpose"))
        .contains(SecretContext.TOKEN_SECRET);
    Map<String, Object> secrets =
        statements.stream()
            .filter(s -> "StackSecrets".equals(s.get("Sid")))
            .findFirst()
            .orElseThrow();
    assertThat(secrets.get("Resource")).isEqualTo("PulumiSecretsKey.Arn");
    assertThat((List<String>) secrets.get("Action"))
        .containsExactlyInAnyOrder("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(String role) {
    return (List<Map<String, Object>>)
        map(
                ((List<Map<String, Object>>) map(resources, role, "Properties").get("Policies"))
                    .getFirst(),
                "PolicyDocument")
            .get("Statement");
  }

  static Map<String, Object> statement(String role, String sid) {
    return statements(role).stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(role + " has no statement " + sid));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDriftCheckRunsOnEachDiscoveryRunRecordWithALeastPrivilegeRoleOfItsOwn()
      throws IOException {
    Map<String, Object> fn = map(resources, "DriftCheckFunction", "Properties");
    assertThat(fn)
        .containsEntry("PackageType", "Image")
        .containsEntry("Role", "DriftCheckRole.Arn");
    assertThat(map(fn, "Code")).containsEntry("ImageUri", "PulumiRunnerImageUri");
    Map<String, Object> env = map(fn, "Environment", "Variables");
    String properties;
    try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
      properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> required = new TreeSet<>();
    Pattern.compile("\\$\\{([A-Z_]+):}")
        .matcher(properties)
        .results()
        .forEach(r -> required.add(r.group(1)));
    required.remove("AWS_REGION");
    assertThat(required).contains("EVENT_BUS_NAME");
    assertThat(env)
        .containsKeys(required.toArray(String[]::new))
        .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "driftAfterDiscovery")
        .containsEntry("EVENT_BUS_NAME", "NimbusEventBus")
        .containsEntry("PULUMI_FORWARDER_PORT", "18006");
    assertThat(map(resources, "PulumiRunnerFunction", "Properties", "Environment", "Variables"))
        .containsEntry("EVENT_BUS_NAME", "NimbusEventBus")
        .containsEntry("WEBHOOK_DELIVERY_QUEUE_URL", "WebhookDeliveryQueue");
    // Drift events for webhooks are queued for the delivery function, never sent from here.
    assertThat(env).containsEntry("WEBHOOK_DELIVERY_QUEUE_URL", "WebhookDeliveryQueue");

    // The stream mapping lets through exactly the inserted discovery run records, which is what
    // DriftAfterDiscovery reads (itemType RUN, tenantId, connectionId of the new image).
    Map<String, Object> mapping = map(resources, "DriftCheckAfterDiscovery", "Properties");
    assertThat(mapping)
        .containsEntry("FunctionName", "DriftCheckFunction")
        .containsEntry("EventSourceArn", "NimbusTable.StreamArn");
    assertThat((List<String>) mapping.get("FunctionResponseTypes"))
        .containsExactly("ReportBatchItemFailures");
    List<Map<String, Object>> filters =
        (List<Map<String, Object>>) map(mapping, "FilterCriteria").get("Filters");
    var pattern =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree((String) filters.getFirst().get("Pattern"));
    assertThat(pattern.at("/eventName/0").asString()).isEqualTo("INSERT");
    assertThat(pattern.at("/dynamodb/NewImage/itemType/S/0").asString())
        .isEqualTo(dev.nimbus.aws.TableKeys.TYPE_RUN);

    // Its role: no wildcard action, no delete, the stream only, secrets by purpose.
    List<Map<String, Object>> drift = statements("DriftCheckRole");
    assertThat(drift).noneMatch(s -> String.valueOf(s.get("Action")).contains("*"));
    assertThat(drift).noneMatch(s -> String.valueOf(s.get("Action")).contains("dynamodb:Delete"));
    assertThat(drift).noneMatch(s -> String.valueOf(s.get("Action")).contains("Scan"));
    assertThat((List<String>) statement("DriftCheckRole", "TableItems").get("Action"))
        .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem");
    assertThat(statement("DriftCheckRole", "ReadTableStream").get("Resource"))
        .isEqualTo("NimbusTable.StreamArn");
    assertThat(statement("DriftCheckRole", "PublishDriftEvents"))
        .containsEntry("Action", "events:PutEvents")
        .containsEntry("Resource", "NimbusEventBus.Arn");
    // Drift events for webhooks are queued, not delivered: the queue, and no webhook secret.
    assertThat(statement("DriftCheckRole", "QueueWebhookDeliveries"))
        .containsEntry("Action", "sqs:SendMessage")
        .containsEntry("Resource", "WebhookDeliveryQueue.Arn");
    assertThat(drift)
        .noneMatch(s -> String.valueOf(s.get("Condition")).contains("purpose=webhook"));
    assertThat(
            (List<String>)
                map(
                        statement("DriftCheckRole", "DecryptConnectionSecretsOnly"),
                        "Condition",
                        "StringLike")
                    .get("kms:EncryptionContext:purpose"))
        .containsExactlyInAnyOrder(SecretContext.TOKEN_SECRET, "header:*");
    // The runner's role publishes drift events of an on-demand check and queues their webhook
    // deliveries; it opens no webhook secret.
    assertThat(statement("PulumiRunnerRole", "PublishDriftEvents"))
        .containsEntry("Resource", "NimbusEventBus.Arn");
    assertThat(statement("PulumiRunnerRole", "QueueWebhookDeliveries"))
        .containsEntry("Action", "sqs:SendMessage")
        .containsEntry("Resource", "WebhookDeliveryQueue.Arn");
    assertThat(statements("PulumiRunnerRole"))
        .noneMatch(s -> String.valueOf(s.get("Condition")).contains("purpose=webhook"));
  }

  /** CloudFormation's short tags ({@code !Ref X}, {@code !GetAtt X.Arn}) read as plain values. */
  static final class PlainTags extends SafeConstructor {
    PlainTags() {
      super(new LoaderOptions());
    }

    @Override
    protected Object constructObject(Node node) {
      if (node.getTag().getValue().startsWith("!")) {
        node.setTag(
            switch (node) {
              case ScalarNode s -> Tag.STR;
              case SequenceNode s -> Tag.SEQ;
              case MappingNode m -> Tag.MAP;
              default -> node.getTag();
            });
      }
      return super.constructObject(node);
    }
  }
}
