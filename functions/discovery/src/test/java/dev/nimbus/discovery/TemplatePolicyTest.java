package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.aws.TemplateTable;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * Reads template.yaml and checks least privilege as deployed: each function's exact actions, the
 * KMS purpose conditions that keep Proxmox tokens away from the webhook functions and webhook
 * secrets away from discovery, no Scan and no table-wide CRUD policy, the shared Globals, and the
 * alarms.
 */
class TemplatePolicyTest {
  private static final Map<String, Object> TEMPLATE = load();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of(o);
  }

  private static Map<String, Object> resource(String name) {
    return map(map(TEMPLATE.get("Resources")).get(name));
  }

  private static List<Map<String, Object>> statements(String function) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object policy : list(map(resource(function).get("Properties")).get("Policies"))) {
      // Only inline statements: SAM's policy templates (DynamoDBCrudPolicy, KMSDecryptPolicy)
      // grant whole-table CRUD or any decryption and are not allowed here.
      assertThat(map(policy).keySet()).as(function + " policy").containsExactly("Statement");
      list(map(policy).get("Statement")).forEach(s -> out.add(map(s)));
    }
    return out;
  }

  private static Set<String> actions(String function) {
    Set<String> actions = new TreeSet<>();
    for (Map<String, Object> s : statements(function)) {
      assertThat(s.get("Effect")).isEqualTo("Allow");
      list(s.get("Action")).forEach(a -> actions.add((String) a));
    }
    return actions;
  }

  private static Map<String, Object> decrypt(String function) {
    return statements(function).stream()
        .filter(s -> list(s.get("Action")).contains("kms:Decrypt"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachFunctionIsGrantedExactlyTheActionsItsCodeUses() {
    assertThat(actions("DiscoveryScheduleFunction"))
        .containsExactly("dynamodb:Query", "dynamodb:UpdateItem", "sqs:SendMessage");
    assertThat(actions("DiscoveryRunFunction"))
        .containsExactly("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "kms:Decrypt");
    assertThat(actions("CiEventsFunction"))
        .as("the stream function neither signs, keeps failures nor calls receivers")
        .containsExactly("dynamodb:Query", "events:PutEvents", "sqs:SendMessage");
    assertThat(actions("WebhookDeliveryFunction"))
        .containsExactly(
            "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt", "sqs:ChangeMessageVisibility");
    assertThat(actions("WebhookReplayFunction"))
        .containsExactly(
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "kms:Decrypt");
    // Usage (issue 14): batched reads and writes of hours, rollups and state pages; the sample
    // lease is one conditional put and delete.
    assertThat(actions("UsageFunction"))
        .containsExactly(
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "kms:Decrypt");
    assertThat(actions("WizardFunction"))
        .containsExactly(
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "lambda:InvokeFunction",
            "sqs:SendMessage");
    for (String f : functions()) {
      assertThat(actions(f)).as(f).doesNotContain("dynamodb:Scan", "kms:*", "dynamodb:*");
    }
  }

  @Test
  void theWizardInvokesOnlyTheUsageFunctionAndThePulumiRunnerAndIsToldTheirNames() {
    List<Map<String, Object>> invokes =
        statements("WizardFunction").stream()
            .filter(s -> list(s.get("Action")).contains("lambda:InvokeFunction"))
            .toList();
    // Two statements: the hand-offs (here) and the wizard's own alias for a started preview
    // (theWizardMayInvokeOnlyItsOwnAliasForAStartedPreview); nothing else.
    assertThat(invokes).hasSize(2);
    Map<String, Object> handOff =
        invokes.stream()
            .filter(s -> s.get("Resource") instanceof List<?>)
            .findFirst()
            .orElseThrow();
    assertThat(list(handOff.get("Action"))).containsExactly("lambda:InvokeFunction");
    assertThat(list(handOff.get("Resource")))
        .containsExactly(
            Map.of("Fn::GetAtt", "UsageFunction.Arn"),
            Map.of(
                "Fn::If",
                List.of(
                    "HasPulumiRunnerImage",
                    Map.of("Fn::GetAtt", "PulumiRunnerFunction.Arn"),
                    Map.of("Ref", "AWS::NoValue"))));
    for (String f : functions()) {
      if (!f.equals("WizardFunction")) {
        assertThat(actions(f)).as(f).doesNotContain("lambda:InvokeFunction");
      }
    }
    Map<String, Object> env =
        map(
            map(map(resource("WizardFunction").get("Properties")).get("Environment"))
                .get("Variables"));
    assertThat(env.get("USAGE_FUNCTION_NAME")).isEqualTo(Map.of("Ref", "UsageFunction"));
    assertThat(env.get("RUNNER_FUNCTION_NAME"))
        .isEqualTo(
            Map.of(
                "Fn::If",
                List.of("HasPulumiRunnerImage", Map.of("Ref", "PulumiRunnerFunction"), "")));
  }

  @Test
  void theUsageSamplerOpensProxmoxTokensOnlyAndItsScheduleAndAlarmFollowTheParameters() {
    Map<String, Object> usage = decrypt("UsageFunction");
    assertThat(map(map(usage.get("Condition")).get("StringLike")))
        .containsExactly(
            Map.entry("kms:EncryptionContext:purpose", List.of("token-secret", "header:*")));
    Map<String, Object> schedule =
        map(
            map(
                map(map(map(resource("UsageFunction").get("Properties")).get("Events"))
                        .get("Sample"))
                    .get("Properties")));
    assertThat(schedule.get("State"))
        .isEqualTo(Map.of("Fn::If", List.of("UsageScheduleOn", "ENABLED", "DISABLED")));
    assertThat(schedule.get("Input")).isEqualTo("{\"schedule\": true}");
    Map<String, Object> period =
        map(map(TEMPLATE.get("Parameters")).get("UsageSamplePeriodMinutes"));
    // The metrics export keeps 30 minutes: a longer period would lose data between samples.
    assertThat(((Number) period.get("MaxValue")).intValue()).isLessThanOrEqualTo(25);
    Map<String, Object> alarm = map(resource("UsageSampleFailedAlarm").get("Properties"));
    assertThat(alarm.get("MetricName")).isEqualTo("SampleFailed");
    assertThat(alarm.get("Dimensions"))
        .isEqualTo(List.of(Map.of("Name", "Service", "Value", "usage")));
  }

  @Test
  void onlyTheWizardEncryptsUnderTheTokenKeyAndOnlyForItsPurposes() {
    for (String f : functions()) {
      boolean encrypts =
          actions(f).contains("kms:Encrypt") || actions(f).contains("kms:GenerateDataKey");
      assertThat(encrypts).as(f).isEqualTo(f.equals("WizardFunction"));
    }
    Map<String, Object> wizard = decrypt("WizardFunction");
    assertThat(list(wizard.get("Action")))
        .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt");
    assertThat(wizard.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", "TokenKey.Arn"));
    assertThat(map(map(wizard.get("Condition")).get("StringLike")))
        .containsExactly(
            Map.entry(
                "kms:EncryptionContext:purpose",
                List.of("token-secret", "header:*", "webhook", "preview-request")));
  }

  @Test
  void theWizardMayInvokeOnlyItsOwnAliasForAStartedPreview() {
    Map<String, Object> wizard = map(resource("WizardFunction").get("Properties"));
    assertThat(wizard.get("FunctionName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-wizard"));
    assertThat(map(map(wizard.get("Environment")).get("Variables")).get("WIZARD_PREVIEW_FUNCTION"))
        .isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-wizard:live"));
    List<Map<String, Object>> invoke =
        statements("WizardFunction").stream()
            .filter(s -> list(s.get("Action")).contains("lambda:InvokeFunction"))
            .toList();
    // The other statement hands work to the usage function and the runner
    // (theWizardInvokesOnlyTheUsageFunctionAndThePulumiRunnerAndIsToldTheirNames).
    assertThat(invoke).hasSize(2);
    Map<String, Object> self =
        invoke.stream()
            .filter(s -> !(s.get("Resource") instanceof List<?>))
            .findFirst()
            .orElseThrow();
    assertThat(list(self.get("Action"))).containsExactly("lambda:InvokeFunction");
    assertThat(self.get("Resource"))
        .isEqualTo(
            Map.of(
                "Fn::Sub",
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                    + "${AWS::StackName}-wizard:live"));
    for (String f : functions()) {
      if (!f.equals("WizardFunction")) {
        assertThat(actions(f)).as(f).doesNotContain("lambda:InvokeFunction");
      }
    }
  }

  @Test
  void onlyDiscoveryOpensProxmoxTokensAndOnlyTheWebhookFunctionsOpenWebhookSecrets() {
    Map<String, Object> discovery = decrypt("DiscoveryRunFunction");
    assertThat(discovery.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", "TokenKey.Arn"));
    assertThat(map(map(discovery.get("Condition")).get("StringLike")))
        .containsExactly(
            Map.entry("kms:EncryptionContext:purpose", List.of("token-secret", "header:*")));
    for (String f : List.of("WebhookDeliveryFunction", "WebhookReplayFunction")) {
      Map<String, Object> webhooks = decrypt(f);
      assertThat(webhooks.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", "TokenKey.Arn"));
      assertThat(map(webhooks.get("Condition")))
          .as(f)
          .containsExactly(
              Map.entry("StringEquals", Map.of("kms:EncryptionContext:purpose", "webhook")));
    }
    assertThat(actions("DiscoveryScheduleFunction")).doesNotContain("kms:Decrypt");
    assertThat(actions("CiEventsFunction")).doesNotContain("kms:Decrypt");
  }

  @Test
  void theWebhookQueueIsTheOnlyQueueTheStreamAndDeliveryFunctionsTouch() {
    for (String f : List.of("CiEventsFunction", "WebhookDeliveryFunction")) {
      assertThat(
              statements(f).stream()
                  .filter(
                      s ->
                          list(s.get("Action")).stream()
                              .anyMatch(a -> a.toString().startsWith("sqs:")))
                  .map(s -> s.get("Resource"))
                  .toList())
          .as(f)
          .containsExactly(Map.of("Fn::GetAtt", "WebhookDeliveryQueue.Arn"));
    }
    Map<String, Object> source =
        map(
            map(map(map(resource("WebhookDeliveryFunction").get("Properties")).get("Events"))
                    .get("Queue"))
                .get("Properties"));
    assertThat(source.get("Queue")).isEqualTo(Map.of("Fn::GetAtt", "WebhookDeliveryQueue.Arn"));
    assertThat(source.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
    assertThat(map(source.get("ScalingConfig"))).containsKey("MaximumConcurrency");
  }

  @Test
  void theDeliveryQueueOutlastsTheFunctionAndRedrivesOnlyAfterTheLastAttempt() {
    Map<String, Object> queue = map(resource("WebhookDeliveryQueue").get("Properties"));
    Map<String, Object> function = map(resource("WebhookDeliveryFunction").get("Properties"));
    int timeout = (Integer) function.get("Timeout");
    assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * timeout);
    // The function keeps a delivery for replay on its fifth receive (the default of
    // nimbus.events.webhook-max-attempts); the dead-letter queue must not take it before.
    assertThat((Integer) map(queue.get("RedrivePolicy")).get("maxReceiveCount")).isGreaterThan(5);
    Object deadline =
        map(map(function.get("Environment")).get("Variables")).get("WEBHOOK_DEADLINE");
    assertThat(java.time.Duration.parse((String) deadline).multipliedBy(10).toSeconds())
        .as("a batch of ten, one after another in the worst case, fits the timeout")
        .isLessThan(timeout);
  }

  @Test
  void everyQueueIsEncrypted() {
    map(TEMPLATE.get("Resources"))
        .forEach(
            (name, r) -> {
              if ("AWS::SQS::Queue".equals(map(r).get("Type"))) {
                assertThat(map(map(r).get("Properties")).get("SqsManagedSseEnabled"))
                    .as(name)
                    .isEqualTo(true);
              }
            });
  }

  @Test
  void handlerSnapStartAndAliasAreGlobalAndTheCodeUriDoesNotCarryTheVersion() {
    Map<String, Object> globals = map(map(TEMPLATE.get("Globals")).get("Function"));
    assertThat(globals.get("Handler"))
        .isEqualTo("dev.nimbus.aws.lambda.LambdaHandler::handleRequest");
    assertThat(globals.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    assertThat(globals.get("AutoPublishAlias")).isEqualTo("live");
    assertThat(globals).doesNotContainKey("Tracing");
    for (String f : functions()) {
      Map<String, Object> properties = map(resource(f).get("Properties"));
      assertThat(properties).as(f).doesNotContainKeys("Handler", "SnapStart", "Tracing");
      assertThat((String) properties.get("CodeUri")).as(f).endsWith("/target/function.jar");
    }
    // The image functions (Pulumi runner, drift check) are plain Lambda functions outside Globals:
    // no tracing there either, since nothing in the code records a subsegment.
    map(TEMPLATE.get("Resources"))
        .forEach(
            (name, r) -> {
              if ("AWS::Lambda::Function".equals(map(r).get("Type"))) {
                assertThat(map(map(r).get("Properties")))
                    .as(name)
                    .doesNotContainKey("TracingConfig");
              }
            });
  }

  @Test
  void everyDeadLetterQueueAndFailedRunsHaveAnAlarmOnTheMetricsTheCodeWrites() {
    Set<String> watchedQueues = new TreeSet<>();
    Map<String, Object> runFailed = null;
    for (Map.Entry<String, Object> r : map(TEMPLATE.get("Resources")).entrySet()) {
      Map<String, Object> resource = map(r.getValue());
      if (!"AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
        continue;
      }
      Map<String, Object> p = map(resource.get("Properties"));
      assertThat(p.get("AlarmActions"))
          .as(r.getKey())
          .isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
      if ("AWS/SQS".equals(p.get("Namespace"))) {
        Map<String, Object> dimension = map(list(p.get("Dimensions")).getFirst());
        watchedQueues.add((String) map(dimension.get("Value")).get("Fn::GetAtt"));
      } else if (RunMetrics.RUN_FAILED.equals(p.get("MetricName"))) {
        runFailed = p;
      }
    }
    assertThat(watchedQueues)
        .containsExactly(
            "CiEventsDeadLetterQueue.QueueName",
            "DiscoveryDeadLetterQueue.QueueName",
            "WebhookDeliveryDeadLetterQueue.QueueName");
    assertThat(runFailed).isNotNull();
    Map<String, Object> globals = map(map(TEMPLATE.get("Globals")).get("Function"));
    Object namespace =
        map(map(globals.get("Environment")).get("Variables")).get("METRICS_NAMESPACE");
    assertThat(runFailed.get("Namespace")).isEqualTo(namespace);
    assertThat(runFailed.get("Dimensions"))
        .isEqualTo(List.of(Map.of("Name", "Service", "Value", RunMetrics.SERVICE)));
  }

  private static List<String> functions() {
    List<String> names = new ArrayList<>();
    map(TEMPLATE.get("Resources"))
        .forEach(
            (name, r) -> {
              if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
                names.add(name);
              }
            });
    assertThat(names).hasSizeGreaterThanOrEqualTo(4);
    return names;
  }

  private static Map<String, Object> load() {
    try (Reader in = Files.newBufferedReader(TemplateTable.locateTemplate())) {
      return new Yaml(new IntrinsicFunctions()).load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads {@code !Ref X} as {@code {Ref: X}} and {@code !GetAtt A.B} as {@code {Fn::GetAtt: A.B}}.
   */
  private static final class IntrinsicFunctions extends SafeConstructor {
    IntrinsicFunctions() {
      super(new LoaderOptions());
    }

    @Override
    protected Object constructObject(Node node) {
      String tag = node.getTag().getValue();
      if (!tag.startsWith("!")) {
        return super.constructObject(node);
      }
      String name = tag.equals("!Ref") ? "Ref" : "Fn::" + tag.substring(1);
      node.setTag(
          switch (node) {
            case ScalarNode s -> Tag.STR;
            case SequenceNode s -> Tag.SEQ;
            case MappingNode m -> Tag.MAP;
            default -> node.getTag();
          });
      return Map.of(name, super.constructObject(node));
    }
  }
}
