package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.model.Lenient;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A typed client for the Proxmox VE REST API, shaped like the API: {@code version()}, {@code
 * cluster()}, {@code nodes()}, {@code node(name).qemu(vmid)}, {@code pools()}, {@code storage()},
 * {@code access()}. Thread-safe and cheap per call; create one per connection and, per discovery
 * run, a {@link #withDeadline(Deadline) view} with the run's deadline and its own call counter.
 * Unmapped endpoints are reachable through {@link #get(String, Map)} as raw JSON.
 */
public final class ProxmoxClient {
  private final ProxmoxTransport transport;
  private final Deadline deadline;
  private final AtomicLong calls = new AtomicLong();

  private ProxmoxClient(ProxmoxTransport transport, Deadline deadline) {
    this.transport = transport;
    this.deadline = deadline;
  }

  /** A client that authenticates with the settings' API token. */
  public static ProxmoxClient create(ClientSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  /** Same, with the clock used for deadlines and ticket renewal. */
  public static ProxmoxClient create(ClientSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    if (!(settings.credentials() instanceof Credentials.ApiToken)) {
      throw new IllegalArgumentException("an API token is required; use login() for a ticket");
    }
    return new ProxmoxClient(new ProxmoxTransport(settings, clock), Deadline.none());
  }

  /**
   * Logs in with user name and password ({@code POST /access/ticket}) and returns a client that
   * sends the ticket cookie, adds the CSRF token to writes and renews the ticket once it is an hour
   * old (tickets expire after two). For the wizard's one-time token creation.
   *
   * @param otp a one-time code ({@code 123456} is taken as TOTP, or {@code recovery:...}), or null
   * @throws ProxmoxException.TfaRequired when the user has a second factor and no code was given
   */
  public static ProxmoxClient login(
      ClientSettings settings, String username, Secret password, Secret otp, Clock clock) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    ProxmoxTransport transport =
        new ProxmoxTransport(settings.withCredentials(new Credentials.None()), clock);
    ProxmoxClient client = new ProxmoxClient(transport, Deadline.none());
    transport.login(username, password, otp, client.deadline, client.calls);
    return client;
  }

  public static ProxmoxClient login(
      ClientSettings settings, String username, Secret password, Secret otp) {
    return login(settings, username, password, otp, Clock.systemUTC());
  }

  /**
   * A view on the same connection pool and credentials whose calls, retries and backoffs stop at
   * {@code runDeadline}, with a call counter starting at zero.
   */
  public ProxmoxClient withDeadline(Deadline runDeadline) {
    return new ProxmoxClient(transport, Objects.requireNonNull(runDeadline, "deadline"));
  }

  /** HTTP requests sent through this client (or view), including retries and ticket renewals. */
  public long callCount() {
    return calls.get();
  }

  /** HTTP requests sent through every view of this connection. */
  public long totalCallCount() {
    return transport.totalCalls();
  }

  public Deadline deadline() {
    return deadline;
  }

  /** {@code GET /version}. */
  public VersionInfo version() {
    return VersionInfo.from(get("/version", Map.of()));
  }

  /** Cluster-wide endpoints. */
  public ClusterApi cluster() {
    return new ClusterApi(this);
  }

  /** {@code GET /nodes}. */
  public List<NodeSummary> nodes() {
    return list(get("/nodes", Map.of()), NodeSummary::from);
  }

  /** Endpoints of one node ({@code /nodes/{node}/...}). */
  public NodeApi node(String name) {
    return new NodeApi(this, name);
  }

  /** Resource pools. */
  public PoolsApi pools() {
    return new PoolsApi(this);
  }

  /** Cluster storage configuration. */
  public StorageApi storage() {
    return new StorageApi(this);
  }

  /** Permissions and API tokens. */
  public AccessApi access() {
    return new AccessApi(this);
  }

  /** A GET of any API path; returns the {@code data} member. Retried like every read. */
  public JsonNode get(String path, Map<String, String> query) {
    return call("GET", path, query);
  }

  /** A POST of form parameters; returns the {@code data} member. Never retried. */
  public JsonNode post(String path, Map<String, String> form) {
    return call("POST", path, form);
  }

  /** A PUT of form parameters; returns the {@code data} member. Never retried. */
  public JsonNode put(String path, Map<String, String> form) {
    return call("PUT", path, form);
  }

  /** A DELETE; returns the {@code data} member. Never retried. */
  public JsonNode delete(String path, Map<String, String> query) {
    return call("DELETE", path, query);
  }

  private JsonNode call(String method, String path, Map<String, String> params) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("API paths start with /");
    }
    return transport.send(method, path, params, deadline, calls).get("data");
  }

  /** Encodes one path segment (node name, storage id, UPID, user id...). */
  static String seg(String value) {
    Objects.requireNonNull(value, "path segment");
    if (value.isEmpty() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("invalid path segment");
    }
    // Keep ':' '@' '!' readable (UPIDs, user and token ids); encode everything else reserved.
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%3A", ":")
        .replace("%40", "@")
        .replace("%21", "!");
  }

  static <T> List<T> list(JsonNode data, Function<JsonNode, T> mapper) {
    List<T> out = new ArrayList<>();
    Lenient.elements(data).forEach(n -> out.add(mapper.apply(n)));
    return List.copyOf(out);
  }
}
