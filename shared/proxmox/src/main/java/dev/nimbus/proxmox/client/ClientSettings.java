package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to reach one Proxmox VE cluster, possibly through a tunnel.
 *
 * @param baseUri {@code https://host[:port]}; https only
 * @param pathPrefix an extra path in front of {@code /api2/json} (a tunnel that routes by path),
 *     empty for none
 * @param extraHeaders headers sent on every request (Cloudflare Access service-token headers);
 *     values are secrets and are never printed
 * @param proxy an HTTP CONNECT or SOCKS5 proxy, or null
 * @param maxConcurrentRequests calls in flight at once on this client (pveproxy has 3 workers)
 * @param callTimeout the most one attempt may take from connecting to the last body byte; bounds a
 *     body that trickles in slower than {@code readTimeout} would notice (shortened to the run's
 *     deadline)
 * @param maxResponseBytes the largest answer body the client reads; a larger one fails the call
 *     instead of filling the heap
 */
public record ClientSettings(
    URI baseUri,
    String pathPrefix,
    Map<String, Secret> extraHeaders,
    ProxySettings proxy,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    long maxResponseBytes,
    int maxConcurrentRequests,
    RetryPolicy retryPolicy,
    TlsTrust trust,
    Credentials credentials) {

  /** Default {@link #maxResponseBytes}: far above the largest real answer (10k guests: ~5 MiB). */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  public ClientSettings {
    Objects.requireNonNull(baseUri, "baseUri");
    if (!"https".equalsIgnoreCase(baseUri.getScheme()) || baseUri.getHost() == null) {
      throw new IllegalArgumentException("base URI must be https://host[:port]");
    }
    if (baseUri.getRawQuery() != null || baseUri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("base URI must not carry a query or user info");
    }
    pathPrefix = normalizePrefix(pathPrefix == null ? "" : pathPrefix);
    String basePath = baseUri.getRawPath();
    // People paste the API root they see in docs and tools; the client adds /api2/json itself.
    if (basePath != null && basePath.replaceAll("/+$", "").endsWith("/api2/json")) {
      basePath = basePath.replaceAll("/+$", "");
      basePath = basePath.substring(0, basePath.length() - "/api2/json".length());
    }
    if (basePath != null && !basePath.isEmpty() && !basePath.equals("/")) {
      pathPrefix = normalizePrefix(basePath) + pathPrefix;
    }
    baseUri =
        URI.create(
            baseUri.getScheme().toLowerCase(Locale.ROOT) + "://" + baseUri.getRawAuthority());
    extraHeaders = Map.copyOf(extraHeaders == null ? Map.of() : extraHeaders);
    for (String name : extraHeaders.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization") || lower.equals("cookie") || lower.equals("host")) {
        throw new IllegalArgumentException("extra header " + name + " is set by the client");
      }
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || readTimeout.isNegative()
        || readTimeout.isZero()
        || callTimeout.isNegative()
        || callTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
    }
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(credentials, "credentials");
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
    }
  }

  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  public static Builder builder(String baseUri) {
    return new Builder(URI.create(baseUri));
  }

  /** A copy with other credentials. */
  public ClientSettings withCredentials(Credentials other) {
    return new ClientSettings(
        baseUri,
        pathPrefix,
        extraHeaders,
        proxy,
        connectTimeout,
        readTimeout,
        callTimeout,
        maxResponseBytes,
        maxConcurrentRequests,
        retryPolicy,
        trust,
        other);
  }

  /** Base URI plus path prefix plus {@code /api2/json}. */
  public String apiRoot() {
    return baseUri + pathPrefix + "/api2/json";
  }

  @Override
  public String toString() {
    return "ClientSettings[baseUri="
        + baseUri
        + ", pathPrefix="
        + pathPrefix
        + ", extraHeaders="
        + extraHeaders.keySet()
        + ", proxy="
        + proxy
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", callTimeout="
        + callTimeout
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", retryPolicy="
        + retryPolicy
        + ", trust="
        + trust
        + ", credentials="
        + credentials
        + "]";
  }

  private static String normalizePrefix(String prefix) {
    String p = prefix.strip();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "";
    }
    return p.startsWith("/") ? p : "/" + p;
  }

  /**
   * Builder with production defaults: 10 s connect, 30 s read, 60 s per call, 64 MiB per answer, 4
   * in flight, default retries.
   */
  public static final class Builder {
    private final URI baseUri;
    private String pathPrefix = "";
    private final Map<String, Secret> extraHeaders = new LinkedHashMap<>();
    private ProxySettings proxy;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(60);
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int maxConcurrentRequests = 4;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private TlsTrust trust = new TlsTrust.SystemTrustStore();
    private Credentials credentials = new Credentials.None();

    private Builder(URI baseUri) {
      this.baseUri = baseUri;
    }

    public Builder pathPrefix(String value) {
      this.pathPrefix = value;
      return this;
    }

    public Builder header(String name, Secret value) {
      this.extraHeaders.put(name, value);
      return this;
    }

    public Builder proxy(ProxySettings value) {
      this.proxy = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = value;
      return this;
    }

    public Builder callTimeout(Duration value) {
      this.callTimeout = value;
      return this;
    }

    public Builder maxResponseBytes(long value) {
      this.maxResponseBytes = value;
      return this;
    }

    public Builder maxConcurrentRequests(int value) {
      this.maxConcurrentRequests = value;
      return this;
    }

    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = value;
      return this;
    }

    public Builder trust(TlsTrust value) {
      this.trust = value;
      return this;
    }

    public Builder apiToken(String tokenId, Secret secret) {
      this.credentials = new Credentials.ApiToken(tokenId, secret);
      return this;
    }

    public Builder credentials(Credentials value) {
      this.credentials = value;
      return this;
    }

    public ClientSettings build() {
      return new ClientSettings(
          baseUri,
          pathPrefix,
          extraHeaders,
          proxy,
          connectTimeout,
          readTimeout,
          callTimeout,
          maxResponseBytes,
          maxConcurrentRequests,
          retryPolicy,
          trust,
          credentials);
    }
  }
}
