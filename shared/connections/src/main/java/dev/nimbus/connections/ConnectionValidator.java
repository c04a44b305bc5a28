package dev.nimbus.connections;

import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks connection input field by field and reports every problem at once, in words a user
 * understands ({@code endpoint.host: 'pve..lan' is not a valid host name or IP address}). Error
 * messages may quote what was typed, except secrets, which are never quoted.
 */
public final class ConnectionValidator {
  static final int MAX_NAME = 100;
  static final int MAX_HEADERS = 10;

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern PATH_PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
  // Proxmox: user '[^\s:/]+' @ realm '[A-Za-z][A-Za-z0-9.\-_]+' ! token '[A-Za-z][A-Za-z0-9.\-_]+'.
  private static final Pattern TOKEN_ID =
      Pattern.compile("([^\\s:/@!]+)@([A-Za-z][A-Za-z0-9._-]+)!([A-Za-z][A-Za-z0-9._-]+)");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");
  // RFC 9110 token characters.
  private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // Proxmox pool ids; since PVE 8.1 nested as parent/child, up to three levels.
  private static final Pattern POOL_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "authorization",
          "cookie",
          "host",
          "content-length",
          "content-type",
          "connection",
          "transfer-encoding",
          "csrfpreventiontoken");

  /** Checks a create request. */
  public void validate(ConnectionDraft draft) {
    List<FieldError> errors = new ArrayList<>();
    if (draft.connectionId() == null || !SLUG.matcher(draft.connectionId()).matches()) {
      errors.add(
          new FieldError(
              "connectionId",
              quote(draft.connectionId())
                  + " must be 1-63 lower-case letters, digits or '-', starting with a letter or"
                  + " digit"));
    }
    checkSettings(draft.settings(), errors);
    checkTokenSecret(draft.tokenSecret(), errors);
    checkHeaders(draft.secretHeaders(), errors);
    throwIfAny(errors);
  }

  /** Checks the settings of an update. */
  public void validate(ConnectionSettings settings) {
    List<FieldError> errors = new ArrayList<>();
    checkSettings(settings, errors);
    throwIfAny(errors);
  }

  /** Checks a replacement API token. */
  public void validateToken(String tokenId, Secret tokenSecret) {
    List<FieldError> errors = new ArrayList<>();
    checkTokenId(tokenId, errors);
    checkTokenSecret(tokenSecret, errors);
    throwIfAny(errors);
  }

  /** Checks replacement secret headers. */
  public void validateHeaders(Map<String, Secret> headers) {
    List<FieldError> errors = new ArrayList<>();
    checkHeaders(headers, errors);
    throwIfAny(errors);
  }

  private static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private void checkSettings(ConnectionSettings s, List<FieldError> errors) {
    if (s == null) {
      errors.add(new FieldError("settings", "are required"));
      return;
    }
    checkName(s.name(), errors);
    if (s.endpoint() == null) {
      errors.add(new FieldError("endpoint", "is required"));
    } else {
      checkHost("endpoint.host", s.endpoint().host(), errors);
      checkPort("endpoint.port", s.endpoint().port(), errors);
      s.endpoint().pathPrefix().ifPresent(p -> checkPathPrefix(p, errors));
    }
    s.proxy()
        .ifPresent(
            p -> {
              checkHost("proxy.host", p.host(), errors);
              checkPort("proxy.port", p.port(), errors);
            });
    checkTls(s.tls(), errors);
    checkTokenId(s.tokenId(), errors);
    checkScope(s.scope(), errors);
    try {
      Schedule.parse(s.schedule());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("schedule", e.getMessage()));
    }
  }

  private static void checkName(String name, List<FieldError> errors) {
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("name", "is required"));
    } else if (name.length() > MAX_NAME) {
      errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError("name", "must not contain control characters"));
    }
  }

  static boolean isHost(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (host.contains(":")) {
      return IPV6_CHARS.matcher(host).matches() && isIpLiteral(host);
    }
    if (IPV4_LIKE.matcher(host).matches()) {
      return IPV4.matcher(host).matches();
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.length() > 253) {
      return false;
    }
    String[] labels = name.split("\\.", -1);
    for (String label : labels) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // A top-level label is never all digits; '10.0.0.256' must not pass as a name.
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  private static boolean isIpLiteral(String host) {
    try {
      java.net.InetAddress.ofLiteral(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkHost(String field, String host, List<FieldError> errors) {
    if (host == null || host.isBlank()) {
      errors.add(new FieldError(field, "is required"));
    } else if (host.contains("://") || host.contains("/")) {
      errors.add(
          new FieldError(
              field,
              quote(host)
                  + " is not a valid host name or IP address: give the host only, without"
                  + " scheme or path"));
    } else if (host.startsWith("[")) {
      errors.add(
          new FieldError(
              field,
              quote(host)
                  + " is not a valid host name or IP address: write IPv6 without brackets"));
    } else if (!isHost(host)) {
      errors.add(new FieldError(field, quote(host) + " is not a valid host name or IP address"));
    }
  }

  private static void checkPort(String field, int port, List<FieldError> errors) {
    if (port < 1 || port > 65535) {
      errors.add(new FieldError(field, port + " is not a port: use 1-65535"));
    }
  }

  private static void checkPathPrefix(String prefix, List<FieldError> errors) {
    boolean dotSegment =
        prefix.contains("/./")
            || prefix.contains("/../")
            || prefix.endsWith("/.")
            || prefix.endsWith("/..");
    if (!PATH_PREFIX.matcher(prefix).matches() || dotSegment) {
      errors.add(
          new FieldError(
              "endpoint.pathPrefix",
              quote(prefix)
                  + " must start with '/', have no trailing '/' and use only letters, digits and"
                  + " '-._~' in each segment (for example '/pve')"));
    }
  }

  private static void checkTls(TlsTrust tls, List<FieldError> errors) {
    if (tls == null
        || (tls.pinnedFingerprints().isEmpty()
            && tls.caPem().isEmpty()
            && !tls.useSystemTrustStore())) {
      errors.add(
          new FieldError(
              "tls",
              "choose how to verify the certificate: pin each node's SHA-256 fingerprint, give the"
                  + " cluster's CA certificate, or choose the system trust store explicitly"));
      return;
    }
    tls.pinnedFingerprints()
        .forEach(
            (node, fp) -> {
              if (!isNodeName(node)) {
                errors.add(
                    new FieldError(
                        "tls.pinnedFingerprints",
                        quote(node) + " is not a Proxmox node name (letters, digits and '-')"));
              }
              if (fp == null || !FINGERPRINT.matcher(fp).matches()) {
                errors.add(
                    new FieldError(
                        "tls.pinnedFingerprints[" + node + "]",
                        quote(fp)
                            + " is not a SHA-256 fingerprint: 32 hex pairs separated by ':', as"
                            + " Proxmox shows it (AB:CD:...)"));
              }
            });
    tls.caPem().ifPresent(pem -> checkCaPem(pem, errors));
  }

  private static void checkCaPem(String pem, List<FieldError> errors) {
    String message = "is not a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----...)";
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      errors.add(new FieldError("tls.caPem", message));
      return;
    }
    try {
      var certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        errors.add(new FieldError("tls.caPem", message));
      }
    } catch (CertificateException e) {
      errors.add(new FieldError("tls.caPem", message));
    }
  }

  static boolean isNodeName(String node) {
    return node != null && node.length() <= 63 && DNS_LABEL.matcher(node).matches();
  }

  private static void checkTokenId(String tokenId, List<FieldError> errors) {
    if (tokenId == null || tokenId.isBlank()) {
      errors.add(
          new FieldError(
              "tokenId", "is required, as user@realm!name (for example discovery@pve!ro)"));
      return;
    }
    var m = TOKEN_ID.matcher(tokenId);
    if (!m.matches()) {
      errors.add(
          new FieldError(
              "tokenId",
              quote(tokenId)
                  + " is not an API token id: write user@realm!name (for example"
                  + " discovery@pve!ro)"));
    } else if (m.group(1).length() + 1 + m.group(2).length() > 64) {
      errors.add(
          new FieldError("tokenId", "the user id (user@realm) must be at most 64 characters"));
    } else if (m.group(2).length() > 32) {
      errors.add(new FieldError("tokenId", "the realm must be at most 32 characters"));
    }
  }

  private static void checkTokenSecret(Secret secret, List<FieldError> errors) {
    if (secret == null) {
      errors.add(new FieldError("tokenSecret", "is required"));
    } else if (secret.isDestroyed()) {
      errors.add(new FieldError("tokenSecret", "was already used and destroyed; pass a fresh one"));
    } else if (!UUID.matcher(secret.reveal()).matches()) {
      // Never quote the value: it may be a real secret typed into the wrong field.
      errors.add(
          new FieldError(
              "tokenSecret",
              "is not a Proxmox API token secret: Proxmox shows it once as a UUID"
                  + " (8-4-4-4-12 hex digits)"));
    }
  }

  private static void checkHeaders(Map<String, Secret> headers, List<FieldError> errors) {
    if (headers.size() > MAX_HEADERS) {
      errors.add(
          new FieldError("secretHeaders", "at most " + MAX_HEADERS + " headers are allowed"));
    }
    Set<String> seen = new HashSet<>();
    headers.forEach(
        (name, value) -> {
          String field = "secretHeaders[" + name + "]";
          if (name == null || !HTTP_TOKEN.matcher(name).matches()) {
            errors.add(
                new FieldError("secretHeaders", quote(name) + " is not a valid HTTP header name"));
            return;
          }
          String lower = name.toLowerCase(Locale.ROOT);
          if (RESERVED_HEADERS.contains(lower)) {
            errors.add(new FieldError(field, "is set by Nimbus itself and cannot be overridden"));
          }
          if (!seen.add(lower)) {
            errors.add(new FieldError(field, "is given twice (header names ignore case)"));
          }
          if (value == null || value.isDestroyed()) {
            errors.add(new FieldError(field, "needs a value"));
          } else if (value.reveal().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(new FieldError(field, "the value must not contain control characters"));
          }
        });
  }

  private static void checkScope(DiscoveryScope scope, List<FieldError> errors) {
    switch (scope) {
      case null -> errors.add(new FieldError("scope", "is required (everything, pools or nodes)"));
      case DiscoveryScope.Everything e -> {}
      case DiscoveryScope.Compartments pools -> {
        int i = 0;
        for (String pool : pools.names()) {
          if (!isPoolName(pool)) {
            errors.add(
                new FieldError(
                    "scope.pools[" + i + "]",
                    quote(pool)
                        + " is not a Proxmox pool id: letters, digits, '.', '-' and '_', nested"
                        + " pools as parent/child (up to 3 levels)"));
          }
          i++;
        }
      }
      case DiscoveryScope.Hosts nodes -> {
        int i = 0;
        for (String node : nodes.names()) {
          if (!isNodeName(node)) {
            errors.add(
                new FieldError(
                    "scope.nodes[" + i + "]",
                    quote(node) + " is not a Proxmox node name (letters, digits and '-')"));
          }
          i++;
        }
      }
    }
  }

  static boolean isPoolName(String pool) {
    if (pool == null || pool.isEmpty()) {
      return false;
    }
    String[] segments = pool.split("/", -1);
    if (segments.length > 3) {
      return false;
    }
    for (String s : segments) {
      if (!POOL_SEGMENT.matcher(s).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }
}
