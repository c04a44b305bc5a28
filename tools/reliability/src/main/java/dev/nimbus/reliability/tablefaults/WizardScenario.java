package dev.nimbus.reliability.tablefaults;

import dev.nimbus.aws.TableKeys;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.FaultKind;
import dev.nimbus.testing.aws.FaultPlan;
import dev.nimbus.testing.lambda.HttpApiEvents;
import dev.nimbus.testing.lambda.LambdaHarness;
import dev.nimbus.wizard.api.WizardApplication;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wizard's writes through the real handler with its AWS calls (KMS, DynamoDB) going through the
 * fault proxy: create a connection (its token KMS-encrypted on the item), change it, replace its
 * token, create a webhook. Each request is sent again while it answers 5xx, as a user (or the
 * single-page app) would. Each must end as a success, or, on a resend after a failed attempt that
 * was applied after all, as a 409 whose stored state shows the change made exactly once.
 *
 * <p>Counted: items half there (a connection without its encrypted token, a webhook without its
 * encrypted secret), and wrong answers: a success with the change not stored, a 409 on the first
 * attempt (the request's own write, retried by the SDK, mistaken for someone else's), a change
 * stored twice (the version moved by two, two audit entries for one request).
 */
public final class WizardScenario implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_SENDS = 10;
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private final FaultBench bench;
  private final LambdaHarness wizard;

  public WizardScenario(FaultBench bench) {
    this.bench = bench;
    String queue = bench.queue("wizard");
    Map<String, String> props =
        Map.ofEntries(
            Map.entry("TABLE_NAME", bench.tableName()),
            Map.entry("TOKEN_KEY_ID", bench.keyAlias()),
            Map.entry("DISCOVERY_QUEUE_URL", queue),
            Map.entry("USAGE_FUNCTION_NAME", "nimbus-usage-faults"),
            Map.entry("RUNNER_FUNCTION_NAME", "nimbus-runner-faults"),
            Map.entry("WIZARD_ALLOWED_PRIVATE_CIDRS", "127.0.0.0/8"),
            Map.entry("NIMBUS_LOCAL_MODE", "true"),
            Map.entry("nimbus.wizard.table-name", bench.tableName()),
            Map.entry("nimbus.wizard.token-key-id", bench.keyAlias()),
            Map.entry("nimbus.wizard.queue-url", queue),
            Map.entry("nimbus.wizard.usage-function", "nimbus-usage-faults"),
            Map.entry("nimbus.wizard.runner-function", "nimbus-runner-faults"),
            Map.entry("nimbus.wizard.allowed-private-cidrs", "127.0.0.0/8"),
            Map.entry("nimbus.wizard.local-mode", "true"),
            Map.entry("NIMBUS_AWS_ATTEMPT_TIMEOUT", FaultBench.ATTEMPT_TIMEOUT.toString()));
    wizard =
        LambdaHarness.forApplication(WizardApplication.class)
            .function("wizardApi")
            .properties(props)
            .awsEmulator(bench.proxy().endpoint(), bench.backend().region())
            .start();
  }

  /** The faults of one kind, on every AWS call the wizard makes. */
  static FaultPlan plan(FaultKind kind, long seed) {
    double rate = kind == FaultKind.TIMEOUT ? 0.18 : 0.35;
    return FaultPlan.seeded(seed).inject(kind, rate, FaultPlan.any());
  }

  record Answer(int status, JsonNode body) {}

  /** One scenario run under {@code kind}: two connections and two webhooks, each changed. */
  public Tally run(FaultKind kind, long seed) {
    bench.resetTable();
    String tenant = "wizard-" + TENANTS.incrementAndGet();
    Counter c = new Counter();
    try (PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.standalone("pve1")
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO))) {
      ApiToken auditor = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
      ApiToken second = sim.createToken("audit2@pve", "nimbus", Roles.PVE_AUDITOR, true);
      bench.proxy().resetCounts();
      bench.proxy().plan(plan(kind, seed));
      for (String id : List.of("lab", "edge")) {
        connectionLifecycle(sim, tenant, id, auditor, second, c);
      }
      for (String id : List.of("ops", "audit")) {
        webhook(tenant, id, c);
      }
      bench.proxy().plan(FaultPlan.none());
      return new Tally(
          1,
          bench.proxy().injectedTotal(),
          c.failedAttempts,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          c.halfWritten,
          c.wrong);
    }
  }

  private static final class Counter {
    int failedAttempts;
    int halfWritten;
    int wrong;
  }

  private void connectionLifecycle(
      PveSimulator sim, String tenant, String id, ApiToken token, ApiToken next, Counter c) {
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("connectionId", id);
    create.put("name", "Cluster " + id);
    create.put("endpoint", Map.of("host", "127.0.0.1", "port", sim.port()));
    create.put(
        "tls",
        Map.of("pinnedFingerprints", Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))));
    create.put("credentials", Map.of("tokenId", token.fullId(), "tokenSecret", token.secret()));
    Answer created = send(tenant, "POST", "/api/connections", create, c);
    Map<String, AttributeValue> item = item(tenant, TableKeys.connectionSk(id));
    check(created, 201, item != null, c);
    if (item == null) {
      return;
    }
    checkToken(item, c);
    long version = Long.parseLong(item.get("version").n());
    if (version != 1) {
      c.wrong++;
    }

    Answer renamed =
        send(
            tenant,
            "PATCH",
            "/api/connections/" + id,
            Map.of("version", version, "name", "Renamed " + id),
            c);
    item = item(tenant, TableKeys.connectionSk(id));
    check(renamed, 200, item != null && item.get("name").s().equals("Renamed " + id), c);
    if (item == null) {
      return;
    }
    checkToken(item, c);
    if (Long.parseLong(item.get("version").n()) != version + 1) {
      c.wrong++;
    }
    version = Long.parseLong(item.get("version").n());

    Answer replaced =
        send(
            tenant,
            "PUT",
            "/api/connections/" + id + "/token",
            Map.of(
                "version",
                version,
                "credentials",
                Map.of("tokenId", next.fullId(), "tokenSecret", next.secret())),
            c);
    item = item(tenant, TableKeys.connectionSk(id));
    check(replaced, 200, item != null && item.toString().contains(next.fullId()), c);
    if (item == null) {
      return;
    }
    checkToken(item, c);
    if (Long.parseLong(item.get("version").n()) != version + 1) {
      c.wrong++;
    }
    // One audit entry per change: created, renamed, token replaced.
    long audits = audits(tenant, id);
    if (audits != 3) {
      c.wrong++;
    }
  }

  private void webhook(String tenant, String id, Counter c) {
    Answer created =
        send(
            tenant,
            "POST",
            "/api/webhooks",
            Map.of("id", id, "url", "https://localhost:9/hooks/" + id),
            c);
    Map<String, AttributeValue> item = item(tenant, TableKeys.webhookSk(id));
    check(created, 201, item != null, c);
    if (item != null && (item.get("secret") == null || item.get("secret").m().get("ct") == null)) {
      c.halfWritten++;
    }
  }

  /**
   * Judges one request: 2xx must have stored the change; a 409 is right only on a resend after a
   * failed attempt, with the change stored (that attempt was applied); anything else is wrong.
   */
  private static void check(Answer a, int expected, boolean stored, Counter c) {
    if (a.status() == expected) {
      if (!stored) {
        c.wrong++;
      }
    } else if (a.status() == 409 && a.body().path("resent").asBoolean()) {
      if (!stored) {
        c.wrong++;
      }
    } else {
      c.wrong++;
    }
  }

  /** The connection's token is stored KMS-encrypted on the item itself: both there, or neither. */
  private static void checkToken(Map<String, AttributeValue> item, Counter c) {
    AttributeValue token = item.get("tokenSecret");
    if (token == null || !token.hasM() || token.m().get("ciphertext") == null) {
      c.halfWritten++;
    }
  }

  /** Sends the request again while it answers 5xx; marks a later answer as a resend. */
  private Answer send(String tenant, String method, String path, Object body, Counter c) {
    for (int attempt = 1; ; attempt++) {
      Answer a = call(tenant, method, path, body);
      if (a.status() < 500) {
        if (attempt > 1 && a.body() instanceof ObjectNode o) {
          o.put("resent", true);
        }
        return a;
      }
      c.failedAttempts++;
      if (attempt >= MAX_SENDS) {
        return a;
      }
    }
  }

  private Answer call(String tenant, String method, String path, Object body) {
    String event =
        HttpApiEvents.request(
            tenant,
            method,
            path,
            java.util.Map.of(),
            JSON.writeValueAsString(body),
            "table-faults");
    JsonNode r = JSON.readTree(wizard.invoke(event));
    String text = r.path("body").isString() ? r.path("body").asString() : "";
    JsonNode json;
    try {
      json = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (RuntimeException notJson) {
      json = JSON.createObjectNode();
    }
    if (!json.isObject()) {
      json = JSON.createObjectNode();
    }
    return new Answer(r.path("statusCode").asInt(), json);
  }

  private Map<String, AttributeValue> item(String tenant, String sk) {
    var answer =
        bench
            .direct()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(bench.tableName())
                        .consistentRead(true)
                        .key(
                            Map.of(
                                TableKeys.PK,
                                AttributeValue.fromS(TableKeys.tenantPk(tenant)),
                                TableKeys.SK,
                                AttributeValue.fromS(sk))));
    return answer.hasItem() && !answer.item().isEmpty() ? answer.item() : null;
  }

  private long audits(String tenant, String connectionId) {
    return bench
        .direct()
        .dynamoDb()
        .query(
            b ->
                b.tableName(bench.tableName())
                    .consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS(TableKeys.tenantPk(tenant)),
                            ":sk",
                            AttributeValue.fromS(TableKeys.auditPrefix(connectionId)))))
        .count();
  }

  @Override
  public void close() {
    wizard.close();
  }
}
