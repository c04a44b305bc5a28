package dev.nimbus.testing.badinput;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated bad requests for every route of the wizard's API: each has at least one input broken in
 * a way the API must refuse with a 4xx problem (a body field of the wrong type, out of range,
 * malformed or missing; a body that is not JSON or too large; a bad query parameter; a path
 * variable that names nothing; a missing or malformed tenant claim), and carries real-looking
 * secrets (token secrets, passwords, header values) registered in a {@link SecretLedger}, so that
 * every answer, log line and stored item can be scanned for them.
 *
 * <p>One generator serves the wizard's BadInputIT and the reliability campaign of bin/reliability.
 * {@link #ROUTES} lists the routes it covers; BadInputIT compares it with the wizard's own route
 * list, so a new route cannot go untested.
 *
 * <p>Requests name the connection {@value #CONNECTION} of tenant {@value #TENANT}; whether it
 * exists changes which 4xx answers (validation before or after the lookup), never that it is one.
 * No request is valid: a default that would be accepted on its own (a path, a query) is always
 * combined with at least one broken input.
 */
public final class BadRequests {
  public static final String TENANT = "acme";
  public static final String CONNECTION = "lab";

  /** The simulated cluster the bodies point at: its port and its nodes' fingerprints. */
  public record Cluster(int port, Map<String, String> fingerprints) {
    String fingerprint(String node) {
      String f = fingerprints.get(node);
      if (f == null) {
        throw new IllegalArgumentException("no fingerprint for node " + node);
      }
      return f;
    }
  }

  /**
   * One request: the route ({@code METHOD /template}), the concrete method and path, query
   * parameters, the raw body (null for none), the tenant claim (null for none) and what was broken.
   */
  public record BadRequest(
      String route,
      String method,
      String path,
      Map<String, String> query,
      String body,
      String tenant,
      String description) {}

  /** A route of the API and the defaults of its inputs. */
  private record Spec(String method, String template, boolean body, Map<String, String> query) {
    String route() {
      return method + " " + template;
    }
  }

  // Before WINDOW: static fields are initialised in order.
  private static final String NOW = Instant.now().toString();
  private static final String HOUR_AGO = Instant.now().minus(Duration.ofHours(1)).toString();
  private static final Map<String, String> WINDOW = window();
  private static final Map<String, String> NONE = Map.of();

  private static final List<Spec> SPECS =
      List.of(
          new Spec("GET", "/api/features", false, NONE),
          new Spec("POST", "/api/probe", true, NONE),
          new Spec("POST", "/api/check", true, NONE),
          new Spec("POST", "/api/mint", true, NONE),
          new Spec("POST", "/api/preview", true, NONE),
          new Spec("GET", "/api/preview/{previewId}", false, NONE),
          new Spec("GET", "/api/connections", false, NONE),
          new Spec("POST", "/api/connections", true, NONE),
          new Spec("GET", "/api/connections/{id}", false, NONE),
          new Spec("PATCH", "/api/connections/{id}", true, NONE),
          // The default version never matches: a broken id or tenant must not delete anything.
          new Spec("DELETE", "/api/connections/{id}", false, Map.of("version", "987654")),
          new Spec("PUT", "/api/connections/{id}/token", true, NONE),
          new Spec("POST", "/api/connections/{id}/repin/plan", false, NONE),
          new Spec("POST", "/api/connections/{id}/repin", true, NONE),
          new Spec("POST", "/api/connections/{id}/disable", true, NONE),
          new Spec("POST", "/api/connections/{id}/enable", true, NONE),
          new Spec("POST", "/api/connections/{id}/run", false, NONE),
          new Spec("GET", "/api/connections/{id}/runs", false, Map.of("limit", "5")),
          new Spec("GET", "/api/connections/{id}/ci", false, Map.of("key", "qemu/101")),
          new Spec(
              "GET",
              "/api/connections/{id}/ci/history",
              false,
              Map.of("key", "qemu/101", "limit", "5")),
          new Spec("GET", "/api/cis", false, Map.of("type", "compute", "limit", "5")),
          new Spec("GET", "/api/webhooks", false, NONE),
          new Spec("POST", "/api/webhooks", true, NONE),
          new Spec("DELETE", "/api/webhooks/{webhookId}", false, NONE),
          new Spec("POST", "/api/webhooks/{webhookId}/test", false, NONE),
          new Spec("GET", "/api/connections/{id}/usage", false, with(WINDOW, "key", "qemu/101")),
          new Spec("GET", "/api/usage/compartment", false, with(WINDOW, "pool", "prod")),
          new Spec("GET", "/api/usage/tenant", false, WINDOW),
          new Spec("GET", "/api/usage/tag", false, with(WINDOW, "tag", "web")),
          new Spec("GET", "/api/connections/{id}/idle", false, WINDOW),
          new Spec("GET", "/api/connections/{id}/ratecard", false, NONE),
          new Spec("PUT", "/api/connections/{id}/ratecard", true, NONE),
          new Spec("POST", "/api/connections/{id}/usage/sample", true, NONE),
          new Spec("GET", "/api/programs", false, NONE),
          new Spec("POST", "/api/connections/{id}/deployments/{program}/preview", true, NONE),
          new Spec("POST", "/api/connections/{id}/deployments/{program}/up", true, NONE),
          new Spec("POST", "/api/connections/{id}/deployments/{program}/destroy", true, NONE),
          new Spec("GET", "/api/connections/{id}/deployments", false, Map.of("limit", "5")),
          new Spec("GET", "/api/connections/{id}/deployments/runs/{runId}", false, NONE),
          new Spec("GET", "/api/connections/{id}/drift", false, NONE),
          new Spec("POST", "/api/connections/{id}/drift/check", true, NONE));

  /** The routes covered, as {@code METHOD /template}, in the wizard's order. */
  public static final List<String> ROUTES = SPECS.stream().map(Spec::route).toList();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Cluster cluster;
  private final SecretLedger secrets;
  private final Random random;

  public BadRequests(Cluster cluster, SecretLedger secrets, long seed) {
    this.cluster = cluster;
    this.secrets = secrets;
    this.random = new Random(seed);
  }

  /** A bad request for a route chosen at random. */
  public BadRequest next() {
    return next(SPECS.get(random.nextInt(SPECS.size())));
  }

  /** A bad request for {@code route} ({@code METHOD /template}, one of {@link #ROUTES}). */
  public BadRequest next(String route) {
    return next(
        SPECS.stream()
            .filter(s -> s.route().equals(route))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no such route: " + route)));
  }

  private BadRequest next(Spec spec) {
    Map<String, String> vars = defaultVars(spec);
    Map<String, String> query = new TreeMap<>(spec.query());
    String tenant = TENANT;
    Map<String, List<Object>> body = spec.body() ? bodyBreakers(spec) : Map.of();
    Map<String, List<String>> params = queryBreakers(spec);
    Map<String, List<String>> path = pathBreakers(spec);
    Map<String, Object> json = spec.body() ? valid(spec) : null;
    String raw = null;
    StringBuilder d = new StringBuilder(spec.route());

    // Fields that can be broken on this route, by where they live.
    List<String> fields = new ArrayList<>();
    body.keySet().forEach(f -> fields.add("body." + f));
    params.keySet().forEach(f -> fields.add("query." + f));
    path.keySet().forEach(f -> fields.add("path." + f));
    if (fields.isEmpty() || random.nextInt(10) == 0) {
      tenant = pick(TENANTS);
      d.append(" tenant=").append(tenant == null ? "(none)" : shorten(tenant));
    } else if (spec.body() && random.nextInt(10) == 0) {
      raw = brokenRaw(json);
      d.append(" raw body of ").append(raw.length()).append(" characters");
      json = null;
    } else {
      int n = 1 + random.nextInt(2);
      for (int k = 0; k < n; k++) {
        String field = fields.get(random.nextInt(fields.size()));
        String name = field.substring(field.indexOf('.') + 1);
        Object value;
        if (field.startsWith("body.")) {
          value = pick(body.get(name));
          set(json, name, value);
        } else if (field.startsWith("query.")) {
          value = pick(params.get(name));
          if (value == null) {
            query.remove(name);
          } else {
            query.put(name, (String) value);
          }
        } else {
          value = pick(path.get(name));
          vars.put(name, (String) value);
        }
        d.append(' ').append(field).append('=').append(shorten(value));
      }
    }
    String concrete = spec.template();
    for (Map.Entry<String, String> v : vars.entrySet()) {
      concrete = concrete.replace("{" + v.getKey() + "}", v.getValue());
    }
    return new BadRequest(
        spec.route(),
        spec.method(),
        concrete,
        Map.copyOf(query),
        raw != null ? raw : json == null ? null : JSON.writeValueAsString(json),
        tenant,
        d.toString());
  }

  /** A value for a description: short, and never a secret (descriptions end up in reports). */
  private String shorten(Object value) {
    String s = String.valueOf(value);
    if (!secrets.found(s).isEmpty()) {
      return "(a value with a secret)";
    }
    return s.length() > 40 ? "(" + s.length() + " characters)" : s;
  }

  /** Tenant claims the API must refuse (403): missing, upper case, a path, too long, control. */
  private static final List<String> TENANTS =
      listOf(null, "", "ACME", "../acme", "a".repeat(64), "acme\u0000x", "-acme", "acme corp");

  private static Map<String, String> defaultVars(Spec spec) {
    Map<String, String> vars = new LinkedHashMap<>();
    String t = spec.template();
    if (t.contains("{id}")) {
      vars.put("id", CONNECTION);
    }
    if (t.contains("{program}")) {
      vars.put("program", "vm");
    }
    if (t.contains("{previewId}")) {
      vars.put("previewId", "6f1c2a9e-0c4e-4a59-9d43-5b3a1f0e7d21");
    }
    if (t.contains("{webhookId}")) {
      vars.put("webhookId", "no-such-hook");
    }
    if (t.contains("{runId}")) {
      vars.put("runId", "20261130T070000123Z-1a2b3c4d");
    }
    return vars;
  }

  /**
   * Path variables the route must refuse: names that are malformed or name nothing. Variables whose
   * default already names nothing (a preview, a webhook, a run) are always bad.
   */
  private static Map<String, List<String>> pathBreakers(Spec spec) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    String t = spec.template();
    if (t.contains("{id}")) {
      m.put("id", List.of("UPPER", "-x", "a".repeat(64), "a b", "no-such-connection", "a%00b"));
    }
    if (t.contains("{program}")) {
      m.put("program", List.of("nope", "UPPER", "p".repeat(100), "vm%2e"));
    }
    if (t.contains("{previewId}")) {
      m.put(
          "previewId",
          List.of("x", "UPPER!", "p".repeat(200), "0b9e7c4e-1111-4a59-9d43-5b3a1f0e7d21"));
    }
    if (t.contains("{webhookId}")) {
      m.put("webhookId", List.of("UPPER", "-", "w".repeat(70), "nohook", "a%20b"));
    }
    if (t.contains("{runId}")) {
      m.put(
          "runId",
          List.of("not-a-run", "x".repeat(100), "20991231T235959999Z-ffffffff", "..%2f.."));
    }
    return m;
  }

  /** Query parameters the route must refuse; a null value removes a required parameter. */
  private static Map<String, List<String>> queryBreakers(Spec spec) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    List<String> limits = List.of("0", "201", "abc", "-1", "1e3", "99999999999");
    List<String> cursors = List.of("!!", "a".repeat(2001), "bad cursor", "{}");
    List<String> instants =
        List.of("yesterday", "2999-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "12", "now");
    switch (spec.template()) {
      case "/api/connections/{id}" -> {
        if (spec.method().equals("DELETE")) {
          m.put("version", listOf(null, "0", "abc", "-1", "1.5", "99999999999999999999"));
        }
      }
      case "/api/connections/{id}/runs", "/api/connections/{id}/deployments" -> {
        m.put("limit", limits);
        if (spec.template().endsWith("/deployments")) {
          m.put("program", List.of("nope", "UPPER", "p".repeat(100)));
        }
      }
      case "/api/connections/{id}/ci" -> m.put("key", listOf(null, "", "no/such-ci"));
      case "/api/connections/{id}/ci/history" -> {
        m.put("key", listOf(null, "", "no/such-ci"));
        m.put("limit", limits);
        m.put("cursor", cursors);
      }
      case "/api/cis" -> {
        m.put("type", List.of("nope", "COMPUTER", "5"));
        m.put("q", List.of("q".repeat(101), "q".repeat(500)));
        m.put("limit", limits);
        m.put("cursor", cursors);
        m.put("connection", List.of("UPPER", "no-such-connection", "a".repeat(64)));
      }
      case "/api/connections/{id}/usage" -> {
        m.put("key", listOf(null, ""));
        m.put("from", listOf(null, "yesterday", "2999-01-01T00:00:00Z", "12"));
        m.put("to", listOf(null, "now", "1999-01-01T00:00:00Z"));
      }
      case "/api/usage/compartment", "/api/usage/tag", "/api/usage/tenant" -> {
        if (spec.template().endsWith("compartment")) {
          m.put("pool", listOf(null, ""));
        }
        if (spec.template().endsWith("tag")) {
          m.put("tag", listOf(null, ""));
        }
        m.put("from", listOf(null, "yesterday", "2999-01-01T00:00:00Z", "12"));
        m.put("to", listOf(null, "now", "1999-01-01T00:00:00Z"));
      }
      case "/api/connections/{id}/idle" -> {
        m.put("from", instants);
        m.put("to", instants);
      }
      case "/api/connections/{id}/drift" ->
          m.put("program", List.of("nope", "UPPER", "p".repeat(100)));
      default -> {}
    }
    return m;
  }

  private static Map<String, String> window() {
    Map<String, String> m = new TreeMap<>();
    m.put("from", HOUR_AGO);
    m.put("to", NOW);
    return m;
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new TreeMap<>(base);
    m.put(key, value);
    return m;
  }

  /** A body that would be accepted on its route (or fail only at the cluster), with secrets. */
  private Map<String, Object> valid(Spec spec) {
    Map<String, Object> b = new LinkedHashMap<>();
    String t = spec.template();
    switch (t) {
      case "/api/connections/{id}" -> {
        b.put("version", 1);
        b.put("name", "Lab");
        b.put("schedule", "rate(15 minutes)");
        return b;
      }
      case "/api/connections/{id}/disable", "/api/connections/{id}/enable" -> {
        b.put("version", 1);
        return b;
      }
      case "/api/connections/{id}/token" -> {
        b.put("version", 1);
        b.put("credentials", credentials());
        return b;
      }
      case "/api/connections/{id}/repin" -> {
        b.put("version", 1);
        b.put("fingerprints", Map.of("pve2", cluster.fingerprint("pve2")));
        return b;
      }
      case "/api/webhooks" -> {
        b.put("id", "ops-hook");
        b.put("url", "https://hooks.example.net/nimbus");
        b.put("semanticTypes", List.of("COMPUTE"));
        b.put("changeKinds", List.of("CREATED"));
        return b;
      }
      default -> {}
    }
    if (operationsRoute(t)) {
      // A field no route reads, carrying a secret: never echoed either.
      b.put("comment", secrets.fresh("pw-"));
      switch (t) {
        case "/api/connections/{id}/ratecard" -> {
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
        case "/api/connections/{id}/usage/sample" -> {
          b.put("from", HOUR_AGO);
          b.put("to", NOW);
        }
        case "/api/connections/{id}/deployments/{program}/destroy" ->
            b.put("confirmStack", "acme.lab");
        case "/api/connections/{id}/drift/check" -> b.put("program", "vm");
        default -> {
          Map<String, Object> inputs = new LinkedHashMap<>();
          inputs.put("node", "pve1");
          inputs.put("vmid", 130);
          inputs.put("name", "app-01");
          inputs.put("template", 9000);
          inputs.put("user", "deploy");
          inputs.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
          b.put("inputs", inputs);
          if (t.endsWith("/up")) {
            b.put("approvedPreviewRunId", "20261130T070000123Z-1a2b3c4d");
          }
        }
      }
      return b;
    }
    b.put("connectionId", CONNECTION);
    b.put("name", "Lab");
    b.put("endpoint", new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", cluster.port())));
    b.put("headers", new TreeMap<>(Map.of("CF-Access-Client-Secret", secrets.fresh("hv-"))));
    b.put("tls", Map.of("pinnedFingerprints", Map.of("pve1", cluster.fingerprint("pve1"))));
    b.put("credentials", credentials());
    b.put("scope", Map.of("kind", "everything"));
    b.put("schedule", "rate(15 minutes)");
    b.put(
        "login",
        new LinkedHashMap<>(
            Map.of("username", "root@pam", "password", secrets.fresh("pw-"), "otp", "123456")));
    b.put("userId", "nimbus@pve");
    b.put("tokenName", "discovery");
    b.put("features", List.of("DISCOVERY"));
    return b;
  }

  private static boolean operationsRoute(String template) {
    return template.endsWith("/ratecard")
        || template.contains("/usage/")
        || template.contains("/deployments/")
        || template.contains("/drift/");
  }

  private Map<String, Object> credentials() {
    return new LinkedHashMap<>(
        Map.of("tokenId", "nimbus@pve!discovery", "tokenSecret", secrets.fresh("")));
  }

  /** Field paths (dotted) of the body with values each route must refuse. */
  private Map<String, List<Object>> bodyBreakers(Spec spec) {
    Map<String, List<Object>> m = new LinkedHashMap<>();
    String longText = "x".repeat(300);
    String t = spec.template();
    switch (t) {
      case "/api/connections/{id}",
          "/api/connections/{id}/disable",
          "/api/connections/{id}/enable" -> {
        m.put("version", listOf(0, -5, "1", 1.5, true, null, List.of()));
        if (t.equals("/api/connections/{id}")) {
          m.put(
              "schedule", listOf("rate(1 minute)", "cron(* * * * * *)", 5, "every day", longText));
          m.put("name", listOf("", "a".repeat(201), 7, List.of("x")));
          m.put(
              "scope",
              listOf(Map.of("kind", "x"), Map.of("kind", "pools", "names", List.of("a b")), "all"));
        }
        return m;
      }
      case "/api/connections/{id}/token" -> {
        m.put("version", listOf(0, "one", null));
        m.put("credentials", credentialBreakers());
        return m;
      }
      case "/api/connections/{id}/repin" -> {
        m.put("version", listOf(0, "one", null, -1));
        m.put("fingerprints", listOf(List.of(), Map.of("pve2", 5), Map.of(), "AB:CD"));
        return m;
      }
      case "/api/webhooks" -> {
        m.put("id", listOf("UPPER", "", 5, "-x", "a".repeat(64), null));
        m.put(
            "url",
            listOf(
                "http://hooks.example.net/x",
                "ftp://hooks.example.net/x",
                "not a url",
                "https://169.254.169.254/latest",
                "https://[fec0::1]/x",
                "https://0.0.0.0/x",
                "https://127.0.0.1/x",
                "https://[::ffff:127.0.0.1]/x",
                "https://user:" + secrets.fresh("pw-") + "@hooks.example.net/x",
                "https://" + "h".repeat(2100) + ".example/",
                5,
                null));
        m.put(
            "semanticTypes",
            listOf("COMPUTE", List.of("NOPE"), List.of(5), Map.of(), twentyOne("COMPUTE")));
        m.put("changeKinds", listOf(List.of("NOPE"), "CREATED", List.of(true), twentyOne("X")));
        return m;
      }
      case "/api/connections/{id}/ratecard" -> {
        m.put("currency", listOf(5, "EURO", "", null, "xx"));
        m.put("base", listOf("cheap", 5, List.of(), null));
        m.put("base.vcpuHour", listOf("-1", "abc", true, List.of(), "1e5", "0.00000000001", -2));
        m.put("base.memoryGibHour", listOf(-0.5, "0.1.2", Map.of(), "x".repeat(50)));
        m.put(
            "base.storageGbMonth",
            listOf("x", Map.of("bad type!", "1"), Map.of("*", "-1"), Map.of("zfs", false)));
        m.put("nodeClasses", listOf(List.of(), Map.of("pve1", 5), Map.of("pve1", "nope")));
        m.put("classRates", listOf("x", Map.of("fast", 5), Map.of("bad class!", Map.of())));
        return m;
      }
      case "/api/connections/{id}/usage/sample" -> {
        m.put("from", listOf(5, "yesterday", "2999-01-01T00:00:00Z", "1999-01-01T00:00:00Z"));
        m.put("to", listOf(true, "now", "2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z"));
        return m;
      }
      case "/api/connections/{id}/deployments/{program}/destroy" -> {
        m.put("confirmStack", listOf(5, null, "x".repeat(300), List.of(), "acme.other"));
        return m;
      }
      case "/api/connections/{id}/drift/check" -> {
        m.put("program", listOf(5, List.of(), "x".repeat(100), "nope"));
        return m;
      }
      case "/api/connections/{id}/deployments/{program}/preview",
          "/api/connections/{id}/deployments/{program}/up" -> {
        m.put("inputs", listOf("vmid=130", 5, List.of(), true));
        m.put("inputs.vmid", listOf(5, "abc", -1, 1_000_000_000));
        m.put("inputs.node", listOf(5, "pve9", "", List.of()));
        m.put("inputs.ipConfig", listOf(List.of("ip=10.20.0.30"), "dhcp", List.of(5)));
        if (t.endsWith("/up")) {
          m.put("approvedPreviewRunId", listOf(5, "x".repeat(100), null, "not-a-run"));
        }
        return m;
      }
      default -> {}
    }
    m.put(
        "endpoint.host",
        listOf(
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
    m.put("endpoint.port", listOf(0, 70000, "8006", 1.5, -1, true));
    m.put("endpoint.pathPrefix", listOf("pve", "/a/../b", 5, "/a b", "/x/"));
    m.put(
        "proxy",
        listOf(
            "socks",
            Map.of("type", "FTP", "host", "h.example", "port", 1),
            Map.of("type", "HTTP"),
            Map.of("type", "HTTP", "host", "h.example", "port", 0),
            Map.of("type", "SOCKS5", "host", "169.254.169.254", "port", 1080)));
    m.put(
        "headers",
        listOf(
            List.of(secrets.fresh("hv-")),
            Map.of("Authorization", secrets.fresh("hv-")),
            Map.of("bad name", secrets.fresh("hv-")),
            Map.of("X-Num", 5),
            Map.of("X-Ctl", "a\nb" + secrets.fresh("hv-")),
            elevenHeaders()));
    if (!t.equals("/api/probe")) {
      m.put(
          "tls",
          listOf(
              Map.of(),
              Map.of("pinnedFingerprints", Map.of("pve1", "zz")),
              Map.of("caPem", "not a certificate"),
              Map.of("pinnedFingerprints", Map.of("bad node!", cluster.fingerprint("pve1"))),
              Map.of("systemTrustStore", "yes"),
              null));
    }
    switch (t) {
      case "/api/check", "/api/preview", "/api/connections" ->
          m.put("credentials", credentialBreakers());
      case "/api/mint" -> {
        m.put("login.username", listOf("root", 5, "", null, "a b@pam"));
        m.put("login.password", listOf(null, 5, "", "p".repeat(300)));
        m.put("login.otp", listOf("12", "abcdef", 123456, "recovery:" + "k".repeat(100)));
        m.put("userId", listOf("root@pam", "bad", 5));
        m.put("tokenName", listOf("1x", "a b", "t".repeat(50), 7));
        m.put("features", listOf(List.of("NOPE"), "DISCOVERY", List.of(), List.of(5)));
        m.put("connectionId", listOf("UPPER", "", "-x", 5, "a".repeat(70)));
      }
      default -> {}
    }
    if (t.equals("/api/preview") || t.equals("/api/connections")) {
      m.put(
          "scope",
          listOf(
              Map.of("kind", "x"),
              Map.of("kind", "pools", "names", List.of("a b")),
              Map.of("kind", "nodes", "names", List.of(5)),
              "everything"));
    }
    if (t.equals("/api/connections")) {
      m.put("schedule", listOf("rate(1 minute)", "cron(* * * * * *)", 5, "every day"));
      m.put("connectionId", listOf("UPPER", "", "-x", 5, "a".repeat(70), null));
      m.put("name", listOf("", "a".repeat(201), 7, null));
    }
    return m;
  }

  private List<Object> credentialBreakers() {
    return listOf(
        Map.of(),
        Map.of("tokenId", "nobang", "tokenSecret", secrets.fresh("")),
        Map.of("tokenId", "nimbus@pve!discovery", "tokenSecret", "not-a-uuid-" + secrets.fresh("")),
        Map.of("tokenId", 5, "tokenSecret", secrets.fresh("")),
        Map.of("tokenSecret", secrets.fresh("")),
        Map.of("minted", "yes"),
        Map.of("minted", true),
        "PVEAPIToken=nimbus@pve!discovery=" + secrets.fresh(""),
        null);
  }

  private Map<String, String> elevenHeaders() {
    Map<String, String> h = new TreeMap<>();
    for (int i = 0; i < 11; i++) {
      h.put("X-H" + i, secrets.fresh("hv-"));
    }
    return h;
  }

  private static List<String> twentyOne(String value) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      out.add(value);
    }
    return out;
  }

  @SafeVarargs
  private static <T> List<T> listOf(T... values) {
    List<T> out = new ArrayList<>();
    for (T v : values) {
      out.add(v);
    }
    return out;
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
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
  private String brokenRaw(Map<String, Object> valid) {
    String json = JSON.writeValueAsString(valid);
    return switch (random.nextInt(6)) {
      case 0 -> json.substring(0, json.length() / 2);
      case 1 -> "[" + json + "]";
      case 2 -> "\"" + secrets.fresh("pw-") + "\"";
      case 3 -> json.replaceFirst("\\{", "{\"big\":\"" + "y".repeat(70_000) + "\",");
      case 4 -> "{\"login\": {\"password\": \"" + secrets.fresh("pw-") + "\"";
      default -> "nul";
    };
  }
}
