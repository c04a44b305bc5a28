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
    JsonNode data = getObject("/version", Map.of());
    if (Lenient.text(data, "version") == null && Lenient.text(data, "release") == null) {
      // Everything version-dependent (pools, network rows, metrics) is decided from this answer.
      throw ProxmoxErrors.missingField("GET", "/version", "version");
    }
    return VersionInfo.from(data);
  }

  /** Cluster-wide endpoints. */
  public ClusterApi cluster() {
    return new ClusterApi(this);
  }

  /** {@code GET /nodes}. */
  public List<NodeSummary> nodes() {
    return getList("/nodes", Map.of(), NodeSummary::from);
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

  /**
   * A GET of a list endpoint, strictly: {@code data} must be an array of objects. Anything else
   * (missing, null, an object, a string, an element that is not an object or cannot be mapped) is
   * an {@link ProxmoxException.InvalidResponse} of this call, never an empty list: callers delete
   * what a complete list no longer names.
   */
  <T> List<T> getList(String path, Map<String, String> query, Function<JsonNode, T> mapper) {
    return list("GET", path, get(path, query), mapper);
  }

  /** A GET of an object endpoint, strictly: {@code data} must be a JSON object. */
  JsonNode getObject(String path, Map<String, String> query) {
    return requireObject("GET", path, get(path, query));
  }

  static JsonNode requireObject(String method, String path, JsonNode data) {
    if (data == null || !data.isObject()) {
      throw ProxmoxErrors.notAnObject(method, path, data);
    }
    return data;
  }

  /** Maps a list answer strictly (see {@link #getList}). */
  static <T> List<T> list(String method, String path, JsonNode data, Function<JsonNode, T> mapper) {
    if (data == null || !data.isArray()) {
      throw ProxmoxErrors.notAList(method, path, data);
    }
    List<T> out = new ArrayList<>(data.size());
    int index = 0;
    for (JsonNode element : data) {
      if (!element.isObject()) {
        throw ProxmoxErrors.badElement(method, path, index, element);
      }
      try {
        out.add(mapper.apply(element));
      } catch (RuntimeException e) {
        throw ProxmoxErrors.unreadableElement(method, path, index, e);
      }
      index++;
    }
    return List.copyOf(out);
  }
}
