package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Generated bad input: 1,200 requests across the body-taking routes, each with at least one field
 * broken in a way the API must refuse (wrong type, out of range, malformed, missing, a host the
 * policy forbids, a body that is not JSON or too large), with real-looking secrets in the secret
 * fields. Every answer must be a 4xx problem, and no secret may appear in any answer or in anything
 * the JVM logged meanwhile.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private static final int CASES = 1_200;

  private PveSimulator sim;
  private ApiClient api;
  private static final java.util.regex.Pattern UUID_TEXT =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private final java.util.Set<String> secrets = new java.util.HashSet<>();
  private final Random random = new Random(20261130L);

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    String queue =
        aws.clients().sqs().createQueue(b -> b.queueName("bad-" + aws.tableName())).queueUrl();
    WizardEnvironment.configure(aws, queue);
    api = new ApiClient();
    api.captureLogs();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private String secret(String prefix) {
    String uuid = UUID.randomUUID().toString();
    secrets.add(uuid);
    return prefix + uuid;
  }

  /** Every secret carries a fresh UUID: find UUIDs in the text and look them up. */
  private List<String> leaked(String text) {
    List<String> out = new ArrayList<>();
    var m = UUID_TEXT.matcher(text);
    while (m.find()) {
      if (secrets.contains(m.group())) {
        out.add(m.group());
      }
    }
    return out;
  }

  private record Route(String method, String path) {}

  private static final List<Route> ROUTES =
      List.of(
          new Route("POST", "/api/probe"),
          new Route("POST", "/api/check"),
          new Route("POST", "/api/mint"),
          new Route("POST", "/api/preview"),
          new Route("POST", "/api/connections"),
          new Route("PATCH", "/api/connections/lab"),
          new Route("PUT", "/api/connections/lab/token"),
          new Route("POST", "/api/connections/lab/repin"),
          new Route("POST", "/api/connections/lab/disable"),
          // usage, deployments and drift (issues 14-16)
          new Route("PUT", "/api/connections/lab/ratecard"),
          new Route("POST", "/api/connections/lab/usage/sample"),
          new Route("POST", "/api/connections/lab/deployments/vm/preview"),
          new Route("POST", "/api/connections/lab/deployments/vm/up"),
          new Route("POST", "/api/connections/lab/deployments/vm/destroy"),
          new Route("POST", "/api/connections/lab/drift/check"));

  private static final String NOW = java.time.Instant.now().toString();
  private static final String HOUR_AGO =
      java.time.Instant.now().minus(Duration.ofHours(1)).toString();

  /** A body that would be accepted on its route, carrying fresh secrets. */
  private Map<String, Object> valid(Route r) {
    Map<String, Object> b = new LinkedHashMap<>();
    switch (r.path()) {
      case "/api/connections/lab", "/api/connections/lab/disable" -> {
        b.put("version", 1);
        b.put("name", "Lab");
        b.put("schedule", "rate(15 minutes)");
        return b;
      }
      case "/api/connections/lab/token" -> {
        b.put("version", 1);
        b.put("credentials", credentials());
        return b;
      }
      case "/api/connections/lab/repin" -> {
        b.put("version", 1);
        b.put("fingerprints", Map.of("pve2", sim.fingerprint("pve2")));
        return b;
      }
      default -> {}
    }
    if (operationsRoute(r)) {
      // A field no route reads, carrying a secret: never echoed either.
      b.put("comment", secret("pw-"));
      switch (r.path()) {
        case "/api/connections/lab/ratecard" -> {
          b.put("currency", "EUR");
          b.put(
              "base",
              new LinkedHashMap<>(
                  Map.of(
                      "vcpuHour", "0.02",
                      "memoryGibHour", "0.005",
                      "networkGb", "0.01",
                      "storageGbMonth", Map.of("*", "0.02"))));
          b.put("nodeClasses", Map.of("pve1", "fast"));
          b.put("classRates", Map.of("fast", Map.of("vcpuHour", "0.03")));
        }
        case "/api/connections/lab/usage/sample" -> {
          b.put("from", HOUR_AGO);
          b.put("to", NOW);
        }
        case "/api/connections/lab/deployments/vm/destroy" -> b.put("confirmStack", "acme.lab");
        case "/api/connections/lab/drift/check" -> b.put("program", "vm");
        default -> {
          Map<String, Object> inputs = new LinkedHashMap<>();
          inputs.put("node", "pve1");
          inputs.put("vmid", 130);
          inputs.put("name", "app-01");
          inputs.put("template", 9000);
          inputs.put("user", "deploy");
          inputs.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
          b.put("inputs", inputs);
          if (r.path().endsWith("/up")) {
            b.put("approvedPreviewRunId", "20261130T070000123Z-1a2b3c4d");
          }
        }
      }
      return b;
    }
    b.put("connectionId", "lab");
    b.put("name", "Lab");
    b.put("endpoint", new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", sim.port())));
    b.put("headers", new TreeMap<>(Map.of("CF-Access-Client-Secret", secret("hv-"))));
    b.put("tls", Map.of("pinnedFingerprints", Map.of("pve1", sim.fingerprint("pve1"))));
    b.put("credentials", credentials());
    b.put("scope", Map.of("kind", "everything"));
    b.put("schedule", "rate(15 minutes)");
    b.put(
        "login",
        new LinkedHashMap<>(
            Map.of("username", "root@pam", "password", secret("pw-"), "otp", "123456")));
    b.put("userId", "nimbus@pve");
    b.put("tokenName", "discovery");
    b.put("features", List.of("DISCOVERY"));
    return b;
  }

  private static boolean operationsRoute(Route r) {
    return r.path().endsWith("/ratecard")
        || r.path().contains("/usage/")
        || r.path().contains("/deployments/")
        || r.path().contains("/drift/");
  }

  private Map<String, Object> credentials() {
    return new LinkedHashMap<>(
        Map.of("tokenId", "nimbus@pve!discovery", "tokenSecret", secret("")));
  }

  /** Field paths (dotted) with values each route must refuse. */
  private Map<String, List<Object>> breakers(Route r) {
    Map<String, List<Object>> m = new LinkedHashMap<>();
    String longText = "x".repeat(300);
    switch (r.path()) {
      case "/api/connections/lab", "/api/connections/lab/disable" -> {
        m.put("version", list(0, -5, "1", 1.5, true, null, List.of()));
        if (r.path().endsWith("/lab")) {
          m.put("schedule", list("rate(1 minute)", "cron(* * * * * *)", 5, "every day", longText));
          m.put("name", list("", "a".repeat(201), 7, List.of("x")));
          m.put(
              "scope",
              list(Map.of("kind", "x"), Map.of("kind", "pools", "names", List.of("a b")), "all"));
        }
        return m;
      }
      case "/api/connections/lab/token" -> {
        m.put("version", list(0, "one", null));
        m.put("credentials", credentialBreakers());
        return m;
      }
      case "/api/connections/lab/repin" -> {
        m.put("version", list(0, "one", null, -1));
        m.put("fingerprints", list(List.of(), Map.of("pve2", 5), Map.of(), "AB:CD"));
        return m;
      }
      case "/api/connections/lab/ratecard" -> {
        m.put("currency", list(5, "EURO", "", null, "xx"));
        m.put("base", list("cheap", 5, List.of(), null));
        m.put("base.vcpuHour", list("-1", "abc", true, List.of(), "1e5", "0.00000000001", -2));
        m.put("base.memoryGibHour", list(-0.5, "0.1.2", Map.of(), "x".repeat(50)));
        m.put(
            "base.storageGbMonth",
            list("x", Map.of("bad type!", "1"), Map.of("*", "-1"), Map.of("zfs", false)));
        m.put("nodeClasses", list(List.of(), Map.of("pve1", 5), Map.of("pve1", "nope")));
        m.put("classRates", list("x", Map.of("fast", 5), Map.of("bad class!", Map.of())));
        return m;
      }
      case "/api/connections/lab/usage/sample" -> {
        m.put("from", list(5, "yesterday", "2999-01-01T00:00:00Z", "1999-01-01T00:00:00Z"));
        m.put("to", list(true, "now", "2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z"));
        return m;
      }
      case "/api/connections/lab/deployments/vm/destroy" -> {
        m.put("confirmStack", list(5, null, "x".repeat(300), List.of(), "acme.other"));
        return m;
      }
      case "/api/connections/lab/drift/check" -> {
        m.put("program", list(5, List.of(), "x".repeat(100), "nope"));
        return m;
      }
      case "/api/connections/lab/deployments/vm/preview",
          "/api/connections/lab/deployments/vm/up" -> {
        m.put("inputs", list("vmid=130", 5, List.of(), true));
        m.put("inputs.vmid", list(5, "abc", -1, 1_000_000_000));
        m.put("inputs.node", list(5, "pve9", "", List.of()));
        m.put("inputs.ipConfig", list(List.of("ip=10.20.0.30"), "dhcp", List.of(5)));
        if (r.path().endsWith("/up")) {
          m.put("approvedPreviewRunId", list(5, "x".repeat(100), null, "not-a-run"));
        }
        return m;
      }
      default -> {}
    }
    m.put(
        "endpoint.host",
        list(
            "",
            123,
            List.of(),
            Map.of(),
            "http://pve",
            "pve..lan",
            "[::1]",
            longText,
            "169.254.169.254",
            "fe80::1",
            "a\u0000b",
            null));
    m.put("endpoint.port", list(0, 70000, "8006", 1.5, -1, true));
    m.put("endpoint.pathPrefix", list("pve", "/a/../b", 5, "/a b", "/x/"));
    m.put(
        "proxy",
        list(
            "socks",
            Map.of("type", "FTP", "host", "h.example", "port", 1),
            Map.of("type", "HTTP"),
            Map.of("type", "HTTP", "host", "h.example", "port", 0),
            Map.of("type", "SOCKS5", "host", "169.254.169.254", "port", 1080)));
    m.put(
        "headers",
        list(
            List.of(secret("hv-")),
            Map.of("Authorization", secret("hv-")),
            Map.of("bad name", secret("hv-")),
            Map.of("X-Num", 5),
            Map.of("X-Ctl", "a\nb" + secret("hv-")),
            elevenHeaders()));
    if (!r.path().equals("/api/probe")) {
      m.put(
          "tls",
          list(
              Map.of(),
              Map.of("pinnedFingerprints", Map.of("pve1", "zz")),
              Map.of("caPem", "not a certificate"),
              Map.of("pinnedFingerprints", Map.of("bad node!", sim.fingerprint("pve1"))),
              Map.of("systemTrustStore", "yes"),
              null));
    }
    switch (r.path()) {
      case "/api/check", "/api/preview", "/api/connections" ->
          m.put("credentials", credentialBreakers());
      case "/api/mint" -> {
        m.put("login.username", list("root", 5, "", null, "a b@pam"));
        m.put("login.password", list(null, 5, "", "p".repeat(300)));
        m.put("login.otp", list("12", "abcdef", 123456, "recovery:" + "k".repeat(100)));
        m.put("userId", list("root@pam", "bad", 5));
        m.put("tokenName", list("1x", "a b", "t".repeat(50), 7));
        m.put("features", list(List.of("NOPE"), "DISCOVERY", List.of(), List.of(5)));
        m.put("connectionId", list("UPPER", "", "-x", 5, "a".repeat(70)));
      }
      default -> {}
    }
    if (r.path().equals("/api/preview") || r.path().equals("/api/connections")) {
      m.put(
          "scope",
          list(
              Map.of("kind", "x"),
              Map.of("kind", "pools", "names", List.of("a b")),
              Map.of("kind", "nodes", "names", List.of(5)),
              "everything"));
    }
    if (r.path().equals("/api/connections")) {
      m.put("schedule", list("rate(1 minute)", "cron(* * * * * *)", 5, "every day"));
      m.put("connectionId", list("UPPER", "", "-x", 5, "a".repeat(70), null));
      m.put("name", list("", "a".repeat(201), 7, null));
    }
    return m;
  }

  private List<Object> credentialBreakers() {
    return list(
        Map.of(),
        Map.of("tokenId", "nobang", "tokenSecret", secret("")),
        Map.of("tokenId", "nimbus@pve!discovery", "tokenSecret", "not-a-uuid-" + secret("")),
        Map.of("tokenId", 5, "tokenSecret", secret("")),
        Map.of("tokenSecret", secret("")),
        Map.of("minted", "yes"),
        Map.of("minted", true),
        "PVEAPIToken=nimbus@pve!discovery=" + secret(""),
        null);
  }

  private Map<String, String> elevenHeaders() {
    Map<String, String> h = new TreeMap<>();
    for (int i = 0; i < 11; i++) {
      h.put("X-H" + i, secret("hv-"));
    }
    return h;
  }

  private static List<Object> list(Object... values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(v);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> body, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> m = body;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = m.get(parts[i]);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
      } else {
        next = new LinkedHashMap<>((Map<String, Object>) next);
      }
      m.put(parts[i], next);
      m = (Map<String, Object>) next;
    }
    if (value == null) {
      m.remove(parts[parts.length - 1]);
    } else {
      m.put(parts[parts.length - 1], value);
    }
  }

  /** Whole-body breakage: not JSON, not an object, too large. */
  private String brokenRaw(Route r) {
    String json = ApiClient.JSON.writeValueAsString(valid(r));
    return switch (random.nextInt(6)) {
      case 0 -> json.substring(0, json.length() / 2);
      case 1 -> "[" + json + "]";
      case 2 -> "\"" + secret("pw-") + "\"";
      case 3 -> json.replace("{", "{\"big\":\"" + "y".repeat(70_000) + "\",");
      case 4 -> "{\"login\": {\"password\": \"" + secret("pw-") + "\"";
      default -> "nul";
    };
  }

  @Test
  void everyBadBodyIsRefusedWith4xxAndNoSecretIsEverEchoedOrLogged() {
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      Route route = ROUTES.get(random.nextInt(ROUTES.size()));
      ApiClient.Response response;
      String description;
      if (random.nextInt(10) == 0) {
        String raw = brokenRaw(route);
        description = route + " raw body of " + raw.length() + " characters";
        response = api.call("acme", route.method(), route.path(), Map.of(), raw);
      } else {
        Map<String, Object> body = valid(route);
        Map<String, List<Object>> breakers = breakers(route);
        List<String> fields = new ArrayList<>(breakers.keySet());
        int n = 1 + random.nextInt(2);
        StringBuilder d = new StringBuilder(route.toString());
        for (int k = 0; k < n; k++) {
          String field = fields.get(random.nextInt(fields.size()));
          List<Object> values = breakers.get(field);
          Object value = values.get(random.nextInt(values.size()));
          set(body, field, value);
          d.append(' ')
              .append(field)
              .append('=')
              .append(String.valueOf(value).length() > 40 ? "(long)" : value);
        }
        description = d.toString();
        response = api.call("acme", route.method(), route.path(), body);
      }
      if (response.status() == 202 && route.path().equals("/api/preview")) {
        // Start and poll: what only the cluster can refuse (a wrong secret, an untrusted
        // certificate) is the started preview's problem, and must be a 4xx problem there.
        ApiClient.Response polled =
            api.pollPreview("acme", response.json().path("previewId").asString());
        assertThat(polled.json().path("status").asString()).as(description).isEqualTo("failed");
        JsonNode problem = polled.json().path("problem");
        assertThat(problem.path("status").asInt())
            .as(description + " -> " + polled.body())
            .isBetween(400, 499);
        assertThat(leaked(polled.body())).as(description).isEmpty();
        byStatus.merge(problem.path("status").asInt(), 1, Integer::sum);
        continue;
      }
      byStatus.merge(response.status(), 1, Integer::sum);
      assertThat(response.status()).as(description + " -> " + response.body()).isBetween(400, 499);
      assertThat(response.contentType()).as(description).isEqualTo("application/problem+json");
      assertThat(leaked(response.body())).as(description).isEmpty();
    }
    assertThat(leaked(api.logs())).isEmpty();
    assertThat(api.bodies()).allSatisfy(b -> assertThat(leaked(b)).isEmpty());
    assertThat(api.bodies()).hasSizeGreaterThanOrEqualTo(CASES);
    System.out.println("bad-input statuses: " + byStatus + ", secrets checked: " + secrets.size());
  }
}
