package dev.nimbus.wizard;

import dev.nimbus.connections.PendingTokens;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.proxmox.client.AccessApi;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.Deadline;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.RetryPolicy;
import dev.nimbus.proxmox.client.model.ApiTokens;
import dev.nimbus.proxmox.client.model.ClusterStatusEntry;
import dev.nimbus.proxmox.client.model.NodeSummary;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.VersionInfo;
import dev.nimbus.proxmox.client.tls.CertificateProbe;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The wizard's steps before a connection is saved: probe the certificate, check a token (cluster,
 * nodes and their pins, permissions per feature), mint a least-privilege token, and preview
 * discovery. Every step checks the host policy first and keeps within API Gateway's 30-second
 * integration limit: reads time out after {@code readTimeout}, and the preview stops at its
 * deadline and says so.
 */
public final class ConnectionWizard {
  private static final Logger LOG = System.getLogger(ConnectionWizard.class.getName());
  private static final Pattern USER_ID =
      Pattern.compile("[^\\s:/@!]{1,60}@[A-Za-z][A-Za-z0-9._-]{1,31}");
  private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{1,39}");
  private static final Pattern OTP = Pattern.compile("\\d{6}|recovery:[A-Za-z0-9-]{1,64}");

  private final HostPolicy policy;
  private final PendingTokens pending;
  private final Clock clock;
  private final Duration readTimeout;
  private final Duration previewBudget;

  public ConnectionWizard(
      HostPolicy policy,
      PendingTokens pending,
      Clock clock,
      Duration readTimeout,
      Duration previewBudget) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readTimeout = readTimeout;
    this.previewBudget = previewBudget;
  }

  /** The TLS handshake only: the chain the entry node presents. */
  public ProbeResult probe(Target target) {
    target.checkPolicy(policy);
    String host = target.endpoint().host();
    int port = target.endpoint().port();
    try {
      CertificateProbe.ProbedChain chain =
          CertificateProbe.probeChain(host, port, target.proxySettings(), Duration.ofSeconds(8));
      return new ProbeResult(
          host,
          port,
          chain.leaf().fingerprint(),
          chain.trustedBySystem(),
          chain.hostnameMatches(),
          chain.certificates());
    } catch (IOException e) {
      throw WizardException.field(
          WizardException.Kind.UNREACHABLE,
          target.proxy().isPresent() ? "proxy" : "endpoint.host",
          "no TLS handshake with " + host + ":" + port + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Checks a token against the cluster: version, cluster name, nodes and their fingerprints, and
   * the token's permissions per feature.
   *
   * @param ref the tenant and the connection id the wizard is building (for a minted token)
   */
  public CheckResult check(ConnectionRef ref, Target target, Credentials credentials) {
    target.checkPolicy(policy);
    try (Credentials.Token token = token(ref, credentials)) {
      ProxmoxClient client = client(target, token);
      try {
        return check(client, target, token.tokenId());
      } catch (ProxmoxException e) {
        throw ProxmoxFailures.toWizard(e, "credentials");
      }
    }
  }

  private CheckResult check(ProxmoxClient client, Target target, String tokenId) {
    VersionInfo version = client.version();
    // A token that lacks Sys.Audit may not read the cluster status or see the nodes: that is what
    // the permission report is for, so the check goes on without them.
    String clusterName = null;
    try {
      clusterName =
          client.cluster().status().stream()
              .filter(e -> "cluster".equals(e.type()))
              .map(ClusterStatusEntry::name)
              .findFirst()
              .orElse(null);
    } catch (ProxmoxException.PermissionDenied e) {
      LOG.log(Level.DEBUG, "cluster status not readable with this token");
    }
    List<NodeSummary> nodes = List.of();
    try {
      nodes = client.nodes();
    } catch (ProxmoxException.PermissionDenied e) {
      LOG.log(Level.DEBUG, "nodes not readable with this token");
    }
    List<String> pools = new ArrayList<>();
    try {
      client.pools().list().forEach(pool -> pools.add(pool.poolid()));
    } catch (ProxmoxException.PermissionDenied | ProxmoxException.NotImplemented e) {
      LOG.log(Level.DEBUG, "pools not readable with this token");
    }
    Permissions granted = client.access().permissions();
    boolean privsep = privilegeSeparated(client.access(), tokenId);
    PermissionReport report =
        PermissionReport.evaluate(version.parsed(), granted, tokenId, privsep);
    String entry = probedEntryFingerprint(target);
    List<CheckResult.NodeInfo> infos = new ArrayList<>();
    for (NodeSummary n : nodes) {
      String fp = n.sslFingerprint() == null ? null : n.sslFingerprint().toUpperCase();
      String pinned = target.tls().pinnedFingerprints().get(n.node());
      infos.add(
          new CheckResult.NodeInfo(
              n.node(),
              "online".equals(n.status()),
              fp,
              fp != null && fp.equals(entry) ? "probe" : "api",
              pinned,
              pinned != null && pinned.equalsIgnoreCase(String.valueOf(fp))));
    }
    return new CheckResult(
        version.version(),
        version.release(),
        clusterName != null ? clusterName : nodes.size() == 1 ? nodes.getFirst().node() : null,
        tokenId,
        privsep,
        infos,
        pools,
        report,
        client.callCount());
  }

  /** The entry node's fingerprint from a handshake, or null when it cannot be probed. */
  private String probedEntryFingerprint(Target target) {
    try {
      return CertificateProbe.probeChain(
              target.endpoint().host(),
              target.endpoint().port(),
              target.proxySettings(),
              Duration.ofSeconds(5))
          .leaf()
          .fingerprint();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean privilegeSeparated(AccessApi access, String tokenId) {
    int bang = tokenId.indexOf('!');
    try {
      return access.tokens(tokenId.substring(0, bang)).stream()
          .filter(t -> tokenId.substring(bang + 1).equals(t.tokenid()))
          .findFirst()
          .map(ApiTokens.TokenInfo::privsep)
          .orElse(true);
    } catch (ProxmoxException e) {
      // Not readable: assume the safe default, so the commands grant the token too.
      return true;
    }
  }

  /**
   * Mints a least-privilege token and keeps it, encrypted, for the connection {@code ref}. The
   * password and one-time code are destroyed when this returns; a token created before a later step
   * failed is deleted again.
   */
  public MintResult mint(ConnectionRef ref, Target target, MintRequest request) {
    try (request) {
      validate(request);
      target.checkPolicy(policy);
      ClientSettings settings =
          target.settings(readTimeout).retryPolicy(RetryPolicy.none()).build();
      ProxmoxClient admin;
      try {
        admin =
            ProxmoxClient.login(
                settings, request.username(), request.password(), request.otp(), clock);
      } catch (ProxmoxException e) {
        throw ProxmoxFailures.toWizard(e, "login.password");
      }
      // The login is done: the password has no further use.
      request.password().destroy();
      return mint(ref, target, request, admin);
    }
  }

  private MintResult mint(
      ConnectionRef ref, Target target, MintRequest request, ProxmoxClient admin) {
    String userId = request.userId();
    String tokenId = userId + "!" + request.tokenName();
    ApiTokens.CreatedToken created = null;
    try {
      VersionInfo version = admin.version();
      Set<String> privileges = new TreeSet<>();
      for (WizardFeature f : request.features()) {
        f.privileges(version.parsed()).forEach(p -> privileges.add(p.name()));
      }
      AccessApi access = admin.access();
      boolean userCreated = false;
      if (access.users().stream().noneMatch(u -> userId.equals(u.userid()))) {
        access.createUser(userId, "Nimbus discovery (created by the connection wizard)");
        userCreated = true;
      }
      if (access.tokens(userId).stream().anyMatch(t -> request.tokenName().equals(t.tokenid()))) {
        throw WizardException.field(
            WizardException.Kind.CONFLICT,
            "tokenName",
            "'"
                + tokenId
                + "' already exists: its secret cannot be read again. Choose another name, or"
                + " remove it with: pveum user token remove '"
                + userId
                + "' "
                + request.tokenName());
      }
      String roleId = "Nimbus-" + request.tokenName();
      Optional<AccessApi.RoleInfo> role =
          access.roles().stream().filter(r -> roleId.equals(r.roleid())).findFirst();
      boolean roleCreated = role.isEmpty();
      if (role.isEmpty()) {
        access.createRole(roleId, privileges);
      } else if (!role.get().privileges().equals(privileges)) {
        access.setRolePrivileges(roleId, privileges);
      }
      created =
          access.createToken(userId, request.tokenName(), "Nimbus (connection wizard)", true, null);
      access.grant("/", roleId, List.of(userId), List.of(tokenId));
      List<String> acls =
          List.of(
              "/ " + userId + " " + roleId + " (propagate)",
              "/ " + tokenId + " " + roleId + " (propagate)");
      try (Secret secret = created.value()) {
        pending.put(ref, tokenId, secret);
      }
      LOG.log(
          Level.INFO,
          "minted token {0} for {1} with role {2} ({3} privileges)",
          tokenId,
          ref,
          roleId,
          privileges.size());
      CheckResult check = check(ref, target, new Credentials.Minted());
      return new MintResult(
          tokenId, userCreated, roleId, roleCreated, List.copyOf(privileges), acls, check);
    } catch (ProxmoxException e) {
      if (created != null) {
        created.value().destroy();
        try {
          admin.access().deleteToken(userId, request.tokenName());
        } catch (ProxmoxException cleanup) {
          LOG.log(Level.WARNING, "could not delete half-minted token {0}", tokenId);
        }
      }
      throw ProxmoxFailures.toWizard(e, "login.username");
    }
  }

  private static void validate(MintRequest r) {
    List<dev.nimbus.connections.FieldError> errors = new ArrayList<>();
    if (r.username() == null || !USER_ID.matcher(r.username()).matches()) {
      errors.add(
          new dev.nimbus.connections.FieldError(
              "login.username", "write the user as user@realm (for example root@pam)"));
    }
    if (r.password() == null || r.password().isDestroyed() || r.password().length() == 0) {
      errors.add(new dev.nimbus.connections.FieldError("login.password", "is required"));
    } else if (r.password().length() > 256) {
      errors.add(new dev.nimbus.connections.FieldError("login.password", "is too long"));
    }
    if (r.otp() != null && !OTP.matcher(r.otp().reveal()).matches()) {
      errors.add(
          new dev.nimbus.connections.FieldError(
              "login.otp", "is a 6-digit code (or recovery:<key>)"));
    }
    if (r.userId() == null || !USER_ID.matcher(r.userId()).matches()) {
      errors.add(
          new dev.nimbus.connections.FieldError(
              "userId", "write the user to create as user@realm (for example nimbus@pve)"));
    } else if (r.userId().equals("root@pam")) {
      errors.add(
          new dev.nimbus.connections.FieldError("userId", "use a dedicated user, not root@pam"));
    }
    if (r.tokenName() == null || !TOKEN_NAME.matcher(r.tokenName()).matches()) {
      errors.add(
          new dev.nimbus.connections.FieldError(
              "tokenName", "2-40 letters, digits, '.', '_' or '-', starting with a letter"));
    }
    if (r.features().isEmpty()) {
      errors.add(new dev.nimbus.connections.FieldError("features", "choose at least one feature"));
    }
    if (!errors.isEmpty()) {
      throw new WizardException(
          WizardException.Kind.VALIDATION, "the mint request is not valid", errors);
    }
  }

  /**
   * What can be refused before a preview is started (answered at once, not in the poll): a target
   * the URL policy forbids (422), and minted credentials when no minted token waits for {@code ref}
   * (400, checked without decrypting it).
   */
  public void checkPreviewStart(ConnectionRef ref, Target target, Credentials credentials) {
    target.checkPolicy(policy);
    if (credentials instanceof Credentials.Minted && pending.tokenId(ref).isEmpty()) {
      try (Credentials.Token unused = token(ref, credentials)) {
        // token(..) throws the same field error a synchronous call would have answered
      }
    }
  }

  /**
   * Runs discovery as the first run would, applying nothing: counts by semantic type, problems,
   * Proxmox calls. Stops at the preview budget (then {@code complete} is false).
   */
  public PreviewResult preview(
      ConnectionRef ref, Target target, Credentials credentials, DiscoveryScope scope) {
    target.checkPolicy(policy);
    try (Credentials.Token token = token(ref, credentials)) {
      Instant start = clock.instant();
      ProxmoxClient client =
          ProxmoxClient.create(
                  target.settings(readTimeout).apiToken(token.tokenId(), token.secret()).build(),
                  clock)
              .withDeadline(Deadline.after(previewBudget, clock));
      DiscoverySnapshot snapshot;
      try {
        snapshot =
            new ProxmoxProvider(client, ref, token.tokenId(), DiscoveryOptions.defaults(), clock)
                .discover(scope, null);
      } catch (ProxmoxException e) {
        throw ProxmoxFailures.toWizard(e, "credentials");
      }
      Map<SemanticType, Integer> counts = new EnumMap<>(SemanticType.class);
      int edges = 0;
      for (ConfigurationItem ci : snapshot.items()) {
        counts.merge(ci.semanticType(), 1, Integer::sum);
        edges += ci.relationships().size();
      }
      List<String> problems = new ArrayList<>();
      for (DiscoveryProblem p : snapshot.problems()) {
        problems.add(p.kind() + " " + p.subject() + ": " + p.message());
      }
      boolean complete = !client.deadline().isExpired();
      return new PreviewResult(
          counts,
          snapshot.items().size(),
          edges,
          problems,
          client.callCount(),
          Duration.between(start, clock.instant()).toMillis(),
          complete);
    }
  }

  /** A pasted token as is, or the minted one decrypted for this request. */
  Credentials.Token token(ConnectionRef ref, Credentials credentials) {
    return switch (credentials) {
      case Credentials.Token t -> t;
      case Credentials.Minted m -> {
        PendingTokens.Resolved r =
            pending
                .resolve(ref)
                .orElseThrow(
                    () ->
                        WizardException.field(
                            WizardException.Kind.VALIDATION,
                            "credentials.minted",
                            "no minted token is waiting for connection '"
                                + ref.connectionId()
                                + "' (it expires after "
                                + PendingTokens.LIFETIME.toMinutes()
                                + " minutes): mint again"));
        yield new Credentials.Token(r.tokenId(), r.secret());
      }
    };
  }

  private ProxmoxClient client(Target target, Credentials.Token token) {
    return ProxmoxClient.create(
        target
            .settings(readTimeout)
            .retryPolicy(RetryPolicy.none())
            .apiToken(token.tokenId(), token.secret())
            .build(),
        clock);
  }
}
