package dev.nimbus.wizard;

import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.connections.Connection;
import dev.nimbus.connections.ConnectionAlreadyExistsException;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionValidator;
import dev.nimbus.connections.PendingTokens;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.connections.ValidationException;
import dev.nimbus.connections.VersionConflictException;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.RetryPolicy;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.tls.CertificateProbe;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's connections as the wizard manages them: save (after proving that the pinned TLS and
 * the token work, so a wrong fingerprint stores nothing), list, read, change, replace the token,
 * re-pin after a certificate change, disable, delete, run now, and the run history. Every method
 * takes the tenant from the caller's identity; another tenant's connection is not found.
 */
public final class ConnectionAdmin {
  private final ConnectionService connections;
  private final PendingTokens pending;
  private final ConnectionWizard wizard;
  private final HostPolicy policy;
  private final RunQueue queue;
  private final CiRepository cis;
  private final Clock clock;
  private final ConnectionValidator validator = new ConnectionValidator();

  public ConnectionAdmin(
      ConnectionService connections,
      PendingTokens pending,
      ConnectionWizard wizard,
      HostPolicy policy,
      RunQueue queue,
      CiRepository cis,
      Clock clock) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.wizard = Objects.requireNonNull(wizard, "wizard");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.cis = Objects.requireNonNull(cis, "cis");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What "save" needs beyond the target: the id, name, token, scope and schedule. */
  public record NewConnection(
      String connectionId,
      String name,
      Target target,
      Credentials credentials,
      DiscoveryScope scope,
      String schedule) {}

  /**
   * Validates, proves that TLS and token work against the cluster ({@code GET /version}), then
   * stores the connection with its token KMS-encrypted. Nothing is stored when any step fails.
   */
  public Connection create(String tenantId, NewConnection c, String actor) {
    ConnectionRef ref = ref(tenantId, c.connectionId());
    try (Target target = c.target();
        Credentials.Token token = wizard.token(ref, c.credentials())) {
      ConnectionDraft draft =
          new ConnectionDraft(
              c.connectionId(),
              new ConnectionSettings(
                  c.name(),
                  target.endpoint(),
                  target.proxy(),
                  target.tls(),
                  token.tokenId(),
                  c.scope(),
                  c.schedule()),
              token.secret(),
              target.secretHeaders());
      validate(() -> validator.validate(draft));
      if (connections.find(ref).isPresent()) {
        throw WizardException.field(
            WizardException.Kind.CONFLICT,
            "connectionId",
            "'" + c.connectionId() + "' is taken: choose another id");
      }
      target.checkPolicy(policy);
      verify(target, token.tokenId(), token.secret());
      Connection created;
      try {
        created = connections.create(tenantId, draft, actor);
      } catch (ConnectionAlreadyExistsException e) {
        throw WizardException.field(
            WizardException.Kind.CONFLICT,
            "connectionId",
            "'" + c.connectionId() + "' is taken: choose another id");
      }
      if (c.credentials() instanceof Credentials.Minted) {
        pending.remove(ref);
      }
      return created;
    }
  }

  public List<Connection> list(String tenantId) {
    requireTenant(tenantId);
    return connections.list(tenantId);
  }

  public Connection get(ConnectionRef ref) {
    return connections.find(ref).orElseThrow(() -> notFound(ref));
  }

  /** Latest runs, newest first. */
  public List<RunRecord> runs(ConnectionRef ref, int limit) {
    get(ref);
    return cis.latestRuns(ref, limit);
  }

  /**
   * Changes name, scope, schedule, endpoint, proxy or TLS. When the way to the cluster changes, the
   * stored token must work over the new way before anything is written.
   */
  public Connection update(ConnectionRef ref, long version, SettingsChange change, String actor) {
    Connection current = get(ref);
    ConnectionSettings s = current.settings();
    ConnectionSettings updated =
        new ConnectionSettings(
            change.name().orElse(s.name()),
            change.endpoint().orElse(s.endpoint()),
            change.proxy().isPresent() ? change.proxy().get() : s.proxy(),
            change.tls().orElse(s.tls()),
            s.tokenId(),
            change.scope().orElse(s.scope()),
            change.schedule().orElse(s.schedule()));
    validate(() -> validator.validate(updated));
    boolean path =
        !updated.endpoint().equals(s.endpoint())
            || !updated.proxy().equals(s.proxy())
            || !updated.tls().equals(s.tls());
    if (path) {
      try (ResolvedConnection resolved = connections.resolve(ref);
          Target target =
              new Target(updated.endpoint(), updated.proxy(), Map.of(), updated.tls())) {
        target.checkPolicy(policy);
        verify(withHeaders(target, resolved), resolved.tokenId(), resolved.tokenSecret());
      }
    }
    return guard(ref, () -> connections.update(ref, version, updated, actor));
  }

  /** The fields a change may carry; empty ones stay as they are. */
  public record SettingsChange(
      Optional<String> name,
      Optional<dev.nimbus.connections.Endpoint> endpoint,
      Optional<Optional<dev.nimbus.connections.TunnelProxy>> proxy,
      Optional<TlsTrust> tls,
      Optional<DiscoveryScope> scope,
      Optional<String> schedule) {}

  /** Replaces the token after proving the new one works over the stored way to the cluster. */
  public Connection replaceToken(
      ConnectionRef ref, long version, Credentials credentials, String actor) {
    Connection current = get(ref);
    try (Credentials.Token token = wizard.token(ref, credentials)) {
      validate(() -> validator.validateToken(token.tokenId(), token.secret()));
      try (ResolvedConnection resolved = connections.resolve(ref);
          Target target =
              new Target(current.endpoint(), current.proxy(), Map.of(), current.tls())) {
        target.checkPolicy(policy);
        verify(withHeaders(target, resolved), token.tokenId(), token.secret());
      }
      Connection replaced =
          guard(
              ref,
              () ->
                  connections.replaceTokenSecret(
                      ref, version, token.tokenId(), token.secret(), actor));
      if (credentials instanceof Credentials.Minted) {
        pending.remove(ref);
      }
      return replaced;
    }
  }

  /**
   * What a re-pin would change: the entry node is probed (handshake only); when its certificate is
   * still pinned, every node's current fingerprint is read from {@code GET /nodes} over that
   * verified connection. When the entry itself changed, only its probed fingerprint is shown: the
   * token is not sent to a certificate the user has not confirmed.
   */
  public RepinPlan planRepin(ConnectionRef ref) {
    Connection c = get(ref);
    requirePinned(c);
    try (Target bare = new Target(c.endpoint(), c.proxy(), Map.of(), c.tls())) {
      bare.checkPolicy(policy);
      String entry = probeEntry(bare);
      Map<String, String> pinned = c.tls().pinnedFingerprints();
      if (pinned.containsValue(entry)) {
        Map<String, String> current = nodeFingerprints(ref, c, Map.of("_entry", entry));
        return plan(c, pinned, current, true);
      }
      List<RepinPlan.NodePin> nodes = new ArrayList<>();
      nodes.add(new RepinPlan.NodePin("(entry " + c.endpoint().host() + ")", null, entry, true));
      return new RepinPlan(c.version(), false, nodes);
    }
  }

  /**
   * Re-pins after the user confirmed {@code confirmed} (node, or "(entry host)", to fingerprint, as
   * shown by {@link #planRepin}). The confirmed fingerprints are trusted for one read of {@code GET
   * /nodes}, whose fingerprints become the new pins; what the user confirmed must agree with them.
   */
  public RepinPlan confirmRepin(
      ConnectionRef ref, long version, Map<String, String> confirmed, String actor) {
    Connection c = get(ref);
    requirePinned(c);
    if (confirmed.isEmpty()) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION,
          "fingerprints",
          "confirm the fingerprints the re-pin plan showed");
    }
    Map<String, String> trusted = new TreeMap<>();
    confirmed.forEach((k, v) -> trusted.put(k, v == null ? "" : v.toUpperCase()));
    try (Target bare = new Target(c.endpoint(), c.proxy(), Map.of(), c.tls())) {
      bare.checkPolicy(policy);
    }
    // The pins trusted until now still authenticate nodes that did not change.
    Map<String, String> trustNow = new TreeMap<>(trusted);
    c.tls().pinnedFingerprints().forEach((n, fp) -> trustNow.put("pinned:" + n, fp));
    Map<String, String> current = nodeFingerprints(ref, c, trustNow);
    for (Map.Entry<String, String> e : trusted.entrySet()) {
      boolean known =
          e.getKey().startsWith("(entry")
              ? current.containsValue(e.getValue())
              : e.getValue().equals(current.get(e.getKey()));
      if (!known) {
        throw WizardException.field(
            WizardException.Kind.CONFLICT,
            "fingerprints[" + e.getKey() + "]",
            "the cluster now shows another fingerprint than the one confirmed: plan again");
      }
    }
    RepinPlan result = plan(c, c.tls().pinnedFingerprints(), current, true);
    ConnectionSettings s = c.settings();
    TlsTrust tls =
        new TlsTrust(new TreeMap<>(current), s.tls().caPem(), s.tls().useSystemTrustStore());
    guard(
        ref,
        () ->
            connections.update(
                ref,
                version,
                new ConnectionSettings(
                    s.name(), s.endpoint(), s.proxy(), tls, s.tokenId(), s.scope(), s.schedule()),
                actor));
    return new RepinPlan(version + 1, true, result.nodes());
  }

  public Connection setEnabled(ConnectionRef ref, long version, boolean enabled, String actor) {
    get(ref);
    return guard(ref, () -> connections.setEnabled(ref, version, enabled, actor));
  }

  public void delete(ConnectionRef ref, long version, String actor) {
    get(ref);
    guard(
        ref,
        () -> {
          connections.delete(ref, version, actor);
          return null;
        });
  }

  /** Queues a discovery of the connection now; a disabled connection is refused. */
  public String runNow(ConnectionRef ref) {
    Connection c = get(ref);
    if (c.status() == dev.nimbus.connections.ConnectionStatus.DISABLED) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT, "status", "the connection is disabled: enable it first");
    }
    return queue.enqueue(ref);
  }

  private RepinPlan plan(
      Connection c, Map<String, String> pinned, Map<String, String> current, boolean trusted) {
    TreeSet<String> names = new TreeSet<>(pinned.keySet());
    names.addAll(current.keySet());
    List<RepinPlan.NodePin> nodes = new ArrayList<>();
    for (String n : names) {
      String old = pinned.get(n);
      String now = current.get(n);
      nodes.add(new RepinPlan.NodePin(n, old, now, !Objects.equals(old, now)));
    }
    return new RepinPlan(c.version(), trusted, nodes);
  }

  /** {@code GET /nodes} with the stored token, trusting only the given fingerprints. */
  private Map<String, String> nodeFingerprints(
      ConnectionRef ref, Connection c, Map<String, String> trustedPins) {
    try (ResolvedConnection resolved = connections.resolve(ref);
        Target target =
            new Target(
                c.endpoint(), c.proxy(), Map.of(), TlsTrust.pinned(new HashMap<>(trustedPins)))) {
      Target withHeaders = withHeaders(target, resolved);
      ProxmoxClient client =
          ProxmoxClient.create(
              withHeaders
                  .settings(Duration.ofSeconds(10))
                  .retryPolicy(RetryPolicy.none())
                  .apiToken(resolved.tokenId(), resolved.tokenSecret())
                  .build(),
              clock);
      Map<String, String> out = new LinkedHashMap<>();
      for (NodeSummary n : client.nodes()) {
        if (n.sslFingerprint() != null) {
          out.put(n.node(), n.sslFingerprint().toUpperCase());
        }
      }
      return out;
    } catch (ProxmoxException e) {
      throw ProxmoxFailures.toWizard(e, "credentials");
    }
  }

  private static Target withHeaders(Target target, ResolvedConnection resolved) {
    return new Target(target.endpoint(), target.proxy(), resolved.secretHeaders(), target.tls());
  }

  private String probeEntry(Target target) {
    try {
      return CertificateProbe.probeChain(
              target.endpoint().host(),
              target.endpoint().port(),
              target.proxySettings(),
              Duration.ofSeconds(8))
          .leaf()
          .fingerprint();
    } catch (IOException e) {
      throw WizardException.field(
          WizardException.Kind.UNREACHABLE,
          "endpoint.host",
          "no TLS handshake with " + target.endpoint().host() + ":" + target.endpoint().port());
    }
  }

  private static void requirePinned(Connection c) {
    if (c.tls().pinnedFingerprints().isEmpty()) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT,
          "tls",
          "this connection trusts a CA or the system trust store, not pinned fingerprints");
    }
  }

  /** One authenticated read proves endpoint, proxy, headers, TLS trust and token together. */
  private void verify(Target target, String tokenId, Secret secret) {
    try {
      ProxmoxClient.create(
              target
                  .settings(Duration.ofSeconds(10))
                  .retryPolicy(RetryPolicy.none())
                  .apiToken(tokenId, secret)
                  .build(),
              clock)
          .version();
    } catch (ProxmoxException e) {
      throw ProxmoxFailures.toWizard(e, "credentials");
    }
  }

  private static void validate(Runnable check) {
    try {
      check.run();
    } catch (ValidationException e) {
      throw new WizardException(WizardException.Kind.VALIDATION, e.getMessage(), e.errors());
    }
  }

  private static <T> T guard(ConnectionRef ref, java.util.function.Supplier<T> write) {
    try {
      return write.get();
    } catch (VersionConflictException e) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT,
          "version",
          "the connection changed since version " + e.expectedVersion() + ": reload and retry");
    } catch (ConnectionNotFoundException e) {
      throw notFound(ref);
    } catch (ValidationException e) {
      throw new WizardException(WizardException.Kind.VALIDATION, e.getMessage(), e.errors());
    }
  }

  private static ConnectionRef ref(String tenantId, String connectionId) {
    try {
      return new ConnectionRef(tenantId, connectionId);
    } catch (IllegalArgumentException e) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION,
          "connectionId",
          "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
    }
  }

  private static void requireTenant(String tenantId) {
    if (tenantId == null || !tenantId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new WizardException(WizardException.Kind.NOT_FOUND, "no such tenant", List.of());
    }
  }

  static WizardException notFound(ConnectionRef ref) {
    return WizardException.notFound("connection '" + ref.connectionId() + "'");
  }
}
