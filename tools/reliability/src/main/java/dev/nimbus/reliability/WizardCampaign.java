package dev.nimbus.reliability;

import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.SecretLedger;
import dev.nimbus.wizard.api.WizardApplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input campaign on the wizard's API, in process through its Lambda handler on the
 * emulator: first one valid connection ({@value BadRequests#CONNECTION}, with a token secret and a
 * secret header, so the table holds what a leak could come from and the routes of a connection get
 * past their lookup), then {@code perRoute} bad requests to every route. Every answer, log line,
 * request sent to AWS and item left in the table is scanned for the secrets used.
 */
final class WizardCampaign {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private WizardCampaign() {}

  static List<BadInputCampaign.RouteResult> run(
      Emulated aws,
      PveSimulator sim,
      int perRoute,
      long seed,
      SecretLedger secrets,
      SecretScan scan) {
    Map<String, String> previous = configure(aws);
    List<BadInputCampaign.RouteResult> results;
    List<AwsRequestLog.Sent> sent;
    String log;
    AwsRequestLog.start();
    try (LogCapture capture = new LogCapture(true)) {
      WizardInvoker wizard = new WizardInvoker();
      createConnection(wizard, sim, secrets);
      BadRequests requests =
          new BadRequests(
              new BadRequests.Cluster(
                  sim.port(),
                  Map.of("pve1", sim.fingerprint("pve1"), "pve2", sim.fingerprint("pve2"))),
              secrets,
              seed);
      results = new BadInputCampaign(wizard, requests, scan).run(BadRequests.ROUTES, perRoute);
      log = capture.text();
    } finally {
      sent = AwsRequestLog.stop();
      restore(previous);
    }
    int line = 0;
    for (String l : log.split("\n")) {
      line++;
      if (!l.isBlank()) {
        scan.scan("Wizard: log lines", "log line " + line, l);
      }
    }
    DiscoveryScan.scanSent(scan, "Wizard", sent);
    for (Map<String, AttributeValue> item :
        aws.clients().dynamoDb().scanPaginator(b -> b.tableName(aws.tableName())).items()) {
      scan.scan("Table items after both campaigns", String.valueOf(item.get("SK")), text(item));
    }
    return results;
  }

  /**
   * An item as text for the scan, binary attributes in Base64 (the SDK's own toString shows them in
   * hex, where no scan would find a secret).
   */
  static String text(Map<String, AttributeValue> item) {
    StringBuilder out = new StringBuilder();
    item.forEach((k, v) -> out.append(k).append('=').append(text(v)).append('\n'));
    return out.toString();
  }

  private static String text(AttributeValue v) {
    if (v.b() != null) {
      // Base64: the ledger finds a secret in it at any offset, whatever else the bytes hold.
      return java.util.Base64.getEncoder().encodeToString(v.b().asByteArray());
    }
    if (v.hasBs()) {
      StringBuilder b = new StringBuilder();
      v.bs().forEach(x -> b.append(text(AttributeValue.fromB(x))).append(' '));
      return b.toString();
    }
    if (v.hasL()) {
      StringBuilder b = new StringBuilder("[");
      v.l().forEach(x -> b.append(text(x)).append(", "));
      return b.append(']').toString();
    }
    if (v.hasM()) {
      StringBuilder b = new StringBuilder("{");
      v.m().forEach((k, x) -> b.append(k).append('=').append(text(x)).append(", "));
      return b.append('}').toString();
    }
    return String.valueOf(v);
  }

  /** The valid connection the campaign's requests name; its secrets are registered. */
  private static void createConnection(WizardInvoker wizard, PveSimulator sim, SecretLedger s) {
    ApiToken token = sim.createToken("nimbus@pve", "reliability", Roles.PVE_AUDITOR, true);
    s.add(token.secret());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("connectionId", BadRequests.CONNECTION);
    body.put("name", "Lab");
    body.put("endpoint", Map.of("host", "127.0.0.1", "port", sim.port()));
    body.put("headers", Map.of("CF-Access-Client-Secret", s.fresh("hv-")));
    body.put(
        "tls",
        Map.of("pinnedFingerprints", Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))));
    body.put("credentials", Map.of("tokenId", token.fullId(), "tokenSecret", token.secret()));
    BadInputCampaign.Answer a =
        wizard.call(
            BadRequests.TENANT,
            "POST",
            "/api/connections",
            Map.of(),
            JSON.writeValueAsString(body));
    if (a.status() != 201) {
      throw new IllegalStateException(
          "the campaign's valid connection was refused (" + a.status() + "): " + a.body());
    }
  }

  /** The wizard function's environment, as system properties (FunctionInvoker reads both). */
  private static Map<String, String> configure(Emulated aws) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("MAIN_CLASS", WizardApplication.class.getName());
    p.put("TABLE_NAME", aws.tableName());
    p.put("TOKEN_KEY_ID", aws.keyAlias());
    p.put("DISCOVERY_QUEUE_URL", aws.queueUrl());
    p.put("USAGE_FUNCTION_NAME", "nimbus-usage-reliability");
    p.put("RUNNER_FUNCTION_NAME", "nimbus-pulumi-runner-reliability");
    // The simulator listens on loopback: this deployment's allow-list names it.
    p.put("WIZARD_ALLOWED_PRIVATE_CIDRS", "127.0.0.0/8");
    p.put("aws.endpointUrl", aws.backend().endpoint().toString());
    p.put("aws.region", aws.backend().region());
    p.put("aws.accessKeyId", "test");
    p.put("aws.secretAccessKey", "test");
    Map<String, String> previous = new LinkedHashMap<>();
    p.forEach(
        (k, v) -> {
          previous.put(k, System.getProperty(k));
          System.setProperty(k, v);
        });
    return previous;
  }

  private static void restore(Map<String, String> previous) {
    previous.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }
}
