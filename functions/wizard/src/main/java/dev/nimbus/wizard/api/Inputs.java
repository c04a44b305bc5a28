package dev.nimbus.wizard.api;

import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionValidator;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.FieldError;
import dev.nimbus.connections.ProxyType;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.connections.TunnelProxy;
import dev.nimbus.connections.ValidationException;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.usage.RateCardInput;
import dev.nimbus.wizard.Credentials;
import dev.nimbus.wizard.MintRequest;
import dev.nimbus.wizard.Target;
import dev.nimbus.wizard.WizardFeature;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The request shapes shared by several routes (endpoint, proxy, headers, TLS, credentials, scope,
 * login), read from a {@link Body} and checked with the connections module's validator, so the
 * wizard and a stored connection accept exactly the same values.
 */
final class Inputs {
  private static final ConnectionValidator VALIDATOR = new ConnectionValidator();

  private Inputs() {}

  /** Endpoint, proxy, secret headers and (when {@code needTls}) TLS trust. */
  static Target target(Body b, boolean needTls) {
    String host = b.requiredText("endpoint.host", 253);
    int port = b.integer("endpoint.port", 1, 65535, Endpoint.DEFAULT_PORT);
    Optional<String> prefix = b.text("endpoint.pathPrefix", 200);
    Optional<TunnelProxy> proxy = Optional.empty();
    if (b.has("proxy")) {
      String type = b.requiredText("proxy.type", 10);
      String phost = b.requiredText("proxy.host", 253);
      int pport = b.integer("proxy.port", 1, 65535, -1);
      if (pport == -1 && !b.has("proxy.port")) {
        b.error("proxy.port", "is required");
      }
      ProxyType pt = null;
      if (type != null) {
        try {
          pt = ProxyType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          b.error("proxy.type", "must be HTTP or SOCKS5");
        }
      }
      if (pt != null && phost != null && pport > 0) {
        proxy = Optional.of(new TunnelProxy(pt, phost, pport));
      }
    }
    Map<String, String> headers = b.stringMap("headers", 10, 4096);
    TlsTrust tls = needTls ? tls(b) : TlsTrust.systemTrustStore();
    Endpoint endpoint = new Endpoint(host == null ? "" : host, port, prefix);
    // The stored connection's validator judges endpoint, proxy and TLS; the rest of these
    // placeholder settings is valid by construction and its errors are not the caller's.
    try {
      VALIDATOR.validate(
          new ConnectionSettings(
              "wizard",
              endpoint,
              proxy,
              tls,
              "wizard@pve!check",
              new DiscoveryScope.Everything(),
              "rate(15 minutes)"));
    } catch (ValidationException e) {
      for (FieldError f : e.errors()) {
        if (f.field().startsWith("endpoint")
            || f.field().startsWith("proxy")
            || f.field().startsWith("tls")) {
          if (host == null && f.field().equals("endpoint.host")) {
            continue; // already reported as required
          }
          b.errors().add(f);
        }
      }
    }
    Map<String, Secret> secretHeaders = new TreeMap<>();
    headers.forEach(
        (k, v) -> {
          Secret value = secret(b, "headers[" + Body.printable(k) + "]", v);
          if (value != null) {
            secretHeaders.put(k, value);
          }
        });
    try {
      VALIDATOR.validateHeaders(secretHeaders);
    } catch (ValidationException e) {
      e.errors()
          .forEach(
              f ->
                  b.errors()
                      .add(
                          new FieldError(
                              f.field().replace("secretHeaders", "headers"), f.message())));
    }
    return new Target(endpoint, proxy, secretHeaders, tls);
  }

  static TlsTrust tls(Body b) {
    if (!b.has("tls")) {
      b.error("tls", "is required: pinnedFingerprints, caPem or systemTrustStore");
      return TlsTrust.systemTrustStore();
    }
    Map<String, String> pins = b.stringMap("tls.pinnedFingerprints", 64, 200);
    Optional<String> ca = b.text("tls.caPem", Body.MAX_TEXT);
    boolean system = b.bool("tls.systemTrustStore", false);
    return new TlsTrust(new TreeMap<>(pins), ca, system);
  }

  static Credentials credentials(Body b, String path) {
    if (!b.has(path)) {
      b.error(path, "is required: {\"tokenId\", \"tokenSecret\"} or {\"minted\": true}");
      return new Credentials.Minted();
    }
    if (b.bool(path + ".minted", false)) {
      return new Credentials.Minted();
    }
    String id = b.requiredText(path + ".tokenId", 200);
    Secret secret = secret(b, path + ".tokenSecret", b.requiredText(path + ".tokenSecret", 200));
    if (id == null || secret == null) {
      if (secret != null) {
        secret.destroy();
      }
      return new Credentials.Minted();
    }
    int before = b.errors().size();
    try {
      VALIDATOR.validateToken(id, secret);
    } catch (ValidationException e) {
      e.errors().forEach(f -> b.errors().add(new FieldError(path + "." + f.field(), f.message())));
    }
    if (b.errors().size() != before) {
      secret.destroy();
      return new Credentials.Minted();
    }
    return new Credentials.Token(id, secret);
  }

  static DiscoveryScope scope(Body b) {
    if (!b.has("scope")) {
      return new DiscoveryScope.Everything();
    }
    if (!b.node("scope").isObject()) {
      // Without this, "scope": "pools" (or any non-object) read as no kind, i.e. everything: a
      // request meaning a narrower scope would silently widen it (found by bin/reliability).
      b.error("scope", "must be an object with a kind (everything, pools or nodes) and names");
      return new DiscoveryScope.Everything();
    }
    String kind = b.text("scope.kind", 20).orElse("everything");
    List<String> names = b.stringList("scope.names", 200, 200);
    DiscoveryScope scope =
        switch (kind) {
          case "everything" -> new DiscoveryScope.Everything();
          case "pools", "nodes" -> {
            if (names.isEmpty()) {
              b.error(
                  "scope.names", "name at least one " + (kind.equals("pools") ? "pool" : "node"));
              yield new DiscoveryScope.Everything();
            }
            yield kind.equals("pools")
                ? new DiscoveryScope.Compartments(new TreeSet<>(names))
                : new DiscoveryScope.Hosts(new TreeSet<>(names));
          }
          default -> {
            b.error("scope.kind", "must be everything, pools or nodes");
            yield new DiscoveryScope.Everything();
          }
        };
    try {
      VALIDATOR.validate(
          new ConnectionSettings(
              "wizard",
              Endpoint.of("pve.example.com"),
              Optional.empty(),
              TlsTrust.systemTrustStore(),
              "wizard@pve!check",
              scope,
              "rate(15 minutes)"));
    } catch (ValidationException e) {
      e.errors().stream().filter(f -> f.field().startsWith("scope")).forEach(b.errors()::add);
    }
    return scope;
  }

  static MintRequest mint(Body b) {
    String username = b.requiredText("login.username", 100);
    String password = b.requiredText("login.password", 256);
    Optional<String> otp = b.text("login.otp", 80);
    String userId = b.text("userId", 100).orElse("nimbus@pve");
    String tokenName = b.text("tokenName", 40).orElse("discovery");
    Set<WizardFeature> features = EnumSet.noneOf(WizardFeature.class);
    if (!b.has("features")) {
      features.add(WizardFeature.DISCOVERY);
    }
    for (String f : b.stringList("features", 10, 40)) {
      try {
        features.add(WizardFeature.valueOf(f.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        b.error("features", "choose from " + List.of(WizardFeature.values()));
      }
    }
    return new MintRequest(
        username,
        secret(b, "login.password", password),
        secret(b, "login.otp", otp.orElse(null)),
        userId,
        tokenName,
        features);
  }

  /** A secret from a text field; blank is an error (null when absent or blank). */
  static Secret secret(Body b, String field, String value) {
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      b.error(field, "must not be blank");
      return null;
    }
    return Secret.of(value);
  }

  /** Node to fingerprint, as confirmed by the user for a re-pin. */
  static Map<String, String> fingerprints(Body b) {
    return new LinkedHashMap<>(b.stringMap("fingerprints", 64, 200));
  }

  // ---- usage and deployments ----

  /**
   * A rate card. Prices may be strings (exact) or JSON numbers (read as their text); shared/usage
   * checks them (not negative, at most 10 decimals) and names each bad one.
   */
  static RateCardInput rateCard(Body b) {
    String currency = b.requiredText("currency", 3);
    RateCardInput.RatesInput base = rates(b, "base");
    if (base == null && !b.has("base")) {
      b.error("base", "is required: vcpuHour, memoryGibHour, networkGb, storageGbMonth");
    }
    Map<String, String> classes = b.stringMap("nodeClasses", 500, 128);
    Map<String, RateCardInput.RatesInput> classRates = new java.util.LinkedHashMap<>();
    JsonNode cr = b.node("classRates");
    if (cr != null) {
      if (!cr.isObject() || cr.size() > 50) {
        b.error("classRates", "must be an object of at most 50 classes to prices");
      } else {
        for (Map.Entry<String, JsonNode> e : cr.properties()) {
          String name = Body.printable(e.getKey());
          if (!e.getKey().matches("[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,127}")) {
            b.error("classRates." + name, "is not a valid class name");
          } else {
            classRates.put(e.getKey(), rates(b, "classRates." + e.getKey()));
          }
        }
      }
    }
    return new RateCardInput(currency, base, classes, classRates);
  }

  private static RateCardInput.RatesInput rates(Body b, String path) {
    JsonNode n = b.node(path);
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      b.error(path, "must be an object of prices");
      return null;
    }
    Map<String, String> storage = new java.util.LinkedHashMap<>();
    JsonNode st = b.node(path + ".storageGbMonth");
    if (st != null) {
      if (!st.isObject() || st.size() > 100) {
        b.error(path + ".storageGbMonth", "must be an object of at most 100 storage types");
      } else {
        for (Map.Entry<String, JsonNode> e : st.properties()) {
          String p = price(b, path + ".storageGbMonth." + Body.printable(e.getKey()), e.getValue());
          if (p != null) {
            storage.put(e.getKey(), p);
          }
        }
      }
    }
    return new RateCardInput.RatesInput(
        price(b, path + ".vcpuHour", n.get("vcpuHour")),
        price(b, path + ".memoryGibHour", n.get("memoryGibHour")),
        storage,
        price(b, path + ".networkGb", n.get("networkGb")));
  }

  /** A price as text: a string or a number; anything else is a field error. */
  private static String price(Body b, String field, JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asString();
    }
    if (n.isString() && n.asString().length() <= 40) {
      return n.asString();
    }
    b.error(field, "must be a decimal number, such as \"0.025\"");
    return null;
  }

  /** A program's inputs: a JSON object, checked by the program itself (infra/). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> programInputs(Body b) {
    JsonNode n = b.node("inputs");
    if (n == null) {
      return Map.of();
    }
    if (!n.isObject()) {
      b.error("inputs", "must be an object of the program's inputs");
      return Map.of();
    }
    return WizardApi.JSON.convertValue(n, Map.class);
  }
}
