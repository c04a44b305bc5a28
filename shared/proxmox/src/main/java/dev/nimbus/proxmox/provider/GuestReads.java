package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.DiscoveryProblem;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.proxmox.client.GuestApi;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.model.Firewall;
import dev.nimbus.proxmox.client.model.GuestAgent;
import dev.nimbus.proxmox.client.model.GuestConfig;
import dev.nimbus.proxmox.client.model.GuestType;
import dev.nimbus.proxmox.client.model.PendingChange;
import dev.nimbus.proxmox.client.model.VersionInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one guest for a discovery run (its config, or for a running guest the current config with
 * the pending changes apart, guest agent or container addresses, firewall rules) and adds its CIs
 * to the assembly. A part that cannot be read keeps what the previous CI held; a config that cannot
 * be read keeps the previous CI whole. Thread-safe: the run reads guests in parallel.
 */
final class GuestReads {
  private final ProxmoxClient client;
  private final ProxmoxMapper mapper;
  private final DiscoveryOptions options;
  private final PreviousCis previous;
  private final ScopeBook book;
  private final SnapshotAssembly assembly;
  private final Map<String, Attribution> attributions;
  private final AtomicBoolean agentDenied = new AtomicBoolean();
  private final AtomicBoolean interfacesDenied = new AtomicBoolean();

  GuestReads(
      ProxmoxClient client,
      ProxmoxMapper mapper,
      DiscoveryOptions options,
      PreviousCis previous,
      ScopeBook book,
      SnapshotAssembly assembly,
      Map<String, Attribution> attributions) {
    this.client = client;
    this.mapper = mapper;
    this.options = options;
    this.previous = previous;
    this.book = book;
    this.assembly = assembly;
    this.attributions = attributions;
  }

  void read(
      ClusterResource row,
      ConfigurationItem before,
      VersionInfo version,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets,
      ChangeLog changes) {
    String node = row.node();
    String key = ProxmoxKeys.guest(row.type(), row.vmid());
    GuestType type = "qemu".equals(row.type()) ? GuestType.QEMU : GuestType.LXC;
    boolean running = "running".equals(row.status());
    var api = client.node(node).guest(type, row.vmid());
    GuestConfig config;
    List<PendingChange> pending = List.of();
    boolean pendingUnknown = false;
    try {
      if (running) {
        // A running guest's CI describes what runs: the current config, with what applies at the
        // next restart kept apart as "pending".
        ConfigAndPending cp = runningConfig(api, type);
        config = cp.config();
        pending = cp.pending();
        if (pending == null) {
          pendingUnknown = true;
          pending = List.of();
        }
      } else {
        config = api.config();
      }
      List<String> malformed = GuestConfigCheck.problems(config, !running || type == GuestType.LXC);
      if (!malformed.isEmpty()) {
        throw new MalformedConfig(String.join("; ", malformed));
      }
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.NodeUnreachable e) {
      book.unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
      return;
    } catch (ProxmoxException.PermissionDenied e) {
      book.problem(
          DiscoveryProblem.Kind.MISSING_PERMISSION, key, ClusterReads.permissionMessage(e));
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (ProxmoxException e) {
      book.problem(DiscoveryProblem.Kind.CALL_FAILED, key, e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    } catch (RuntimeException e) {
      book.problem(
          DiscoveryProblem.Kind.MALFORMED_RESOURCE,
          key,
          "config of " + key + " on " + node + " could not be read: " + e.getMessage());
      keepPreviousOrRowOnly(row, before, sharedStorage, vnets);
      return;
    }
    Set<String> keep = new TreeSet<>();
    if (pendingUnknown) {
      keep.add("pending");
    }
    List<GuestAgent.Interface> interfaces = null;
    if (running
        && type == GuestType.QEMU
        && options.guestAgent()
        && config.agent() != null
        && config.agent().enabled()
        && !agentDenied.get()) {
      AgentAnswer a = agentInterfaces(api, key, version);
      interfaces = a.interfaces();
      if (a.failed()) {
        keep.add("ipAddresses");
      }
    } else if (running
        && type == GuestType.LXC
        && version.parsed().lxcInterfaces()
        && !interfacesDenied.get()) {
      AgentAnswer a = lxcInterfaces(api, key);
      interfaces = a.interfaces();
      if (a.failed()) {
        keep.add("ipAddresses");
      }
    }
    List<Firewall.Rule> rules = List.of();
    boolean firewallNic = config.nets().values().stream().anyMatch(n -> n.firewall());
    boolean rulesFailed = false;
    if (options.guestFirewall() && firewallNic) {
      try {
        rules = api.firewallRules();
      } catch (ProxmoxException.AuthenticationFailed e) {
        throw e;
      } catch (ProxmoxException.NodeUnreachable e) {
        book.unreachable(ProxmoxKeys.nodeScope(node), e.getMessage());
        return;
      } catch (ProxmoxException e) {
        book.problem(
            e instanceof ProxmoxException.PermissionDenied
                ? DiscoveryProblem.Kind.MISSING_PERMISSION
                : DiscoveryProblem.Kind.CALL_FAILED,
            key,
            e instanceof ProxmoxException.PermissionDenied pd
                ? ClusterReads.permissionMessage(pd)
                : e.getMessage());
        rulesFailed = true;
      } catch (RuntimeException e) {
        book.problem(
            DiscoveryProblem.Kind.MALFORMED_RESOURCE,
            key,
            "firewall rules of " + key + " could not be read: " + e.getMessage());
        rulesFailed = true;
      }
    }
    boolean hasRuleSet = !rulesFailed && !rules.isEmpty();
    Set<String> groups = rulesFailed ? Set.of() : ProxmoxMapper.referencedGroups(rules);
    ConfigurationItem ci =
        mapper.guest(
            new ProxmoxMapper.GuestInputs(
                row, config, interfaces, hasRuleSet, groups, sharedStorage, vnets, pending));
    if (rulesFailed) {
      // The rule set and the groups it pulls in keep what the last run saw.
      ci =
          previous.keep(
              ci,
              Set.of(),
              r ->
                  r.kind() == RelationshipKind.PROTECTED_BY
                      && (r.targetNativeKey().startsWith("firewall/guest/")
                          || r.targetNativeKey().startsWith("firewall/group/")));
      assembly.keepOne(ProxmoxKeys.guestFirewall(row.vmid()));
    } else if (!rules.isEmpty()) {
      assembly.put(
          mapper.ruleSet(
              ProxmoxKeys.guestFirewall(row.vmid()),
              "guest-firewall",
              RowSignature.name(row) + " firewall",
              ProxmoxKeys.nodeScope(node),
              rules));
    }
    if (!keep.isEmpty()) {
      ci = previous.keep(ci, keep);
    }
    assembly.put(ci);
    credit(key, row.vmid(), ci, before, changes);
  }

  /**
   * The config a running guest runs with and its pending changes. QEMU's {@code /pending} lists
   * every key with its current value and its pending one, so one call gives both. LXC's leaves out
   * the raw {@code lxc.*} keys (they are an array in the parsed config), so containers read the
   * current config as well. A server that cannot answer {@code /pending} falls back to {@code
   * current=1} without pending changes.
   */
  private ConfigAndPending runningConfig(GuestApi api, GuestType type) {
    List<PendingChange> entries;
    try {
      entries = api.pending();
    } catch (ProxmoxException.AuthenticationFailed
        | ProxmoxException.NodeUnreachable
        | ProxmoxException.PermissionDenied e) {
      throw e;
    } catch (RuntimeException e) {
      // The current config still says what runs; what is pending is unknown this run: reported,
      // and the previous CI's pending changes stand (null here, kept by the caller).
      book.failedPart(
          "guest/" + api.type().segment() + "/" + api.vmid() + "/pending",
          DiscoveryProblem.Kind.CALL_FAILED,
          "pending changes of " + api.type().segment() + "/" + api.vmid() + ": " + e.getMessage());
      return new ConfigAndPending(api.currentConfig(), null);
    }
    List<PendingChange> pending = entries.stream().filter(PendingChange::isPending).toList();
    if (type == GuestType.LXC) {
      return new ConfigAndPending(api.currentConfig(), pending);
    }
    ObjectNode current = JsonNodeFactory.instance.objectNode();
    for (PendingChange e : entries) {
      if (e.key() != null && e.raw() != null && e.raw().has("value")) {
        current.set(e.key(), e.raw().get("value"));
      }
    }
    return new ConfigAndPending(GuestConfig.from(GuestType.QEMU, current), pending);
  }

  private record ConfigAndPending(GuestConfig config, List<PendingChange> pending) {}

  /** Credits the change of a guest to the task or log line that can have caused it. */
  private void credit(
      String key, int vmid, ConfigurationItem ci, ConfigurationItem before, ChangeLog changes) {
    boolean isNew = before == null;
    var diff = isNew ? List.<PropertyChange>of() : ci.changesSince(before);
    boolean hadPending = !isNew && before.attributes().get("pending") != null;
    Attribution who = changes.credit(vmid, diff, hadPending, isNew);
    if (who != null) {
      attributions.put(key, who);
    }
  }

  private record AgentAnswer(List<GuestAgent.Interface> interfaces, boolean failed) {}

  private AgentAnswer agentInterfaces(GuestApi api, String key, VersionInfo version) {
    try {
      GuestAgent.Reply<List<GuestAgent.Interface>> reply = api.agentNetworkInterfaces();
      // An agent that answers with an error knows nothing now; what it said before stands.
      return reply.isError() ? new AgentAnswer(null, true) : new AgentAnswer(reply.value(), false);
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.PermissionDenied e) {
      if (agentDenied.compareAndSet(false, true)) {
        book.problem(
            DiscoveryProblem.Kind.MISSING_PERMISSION,
            key,
            ClusterReads.permissionMessage(e)
                + " (guest agent IP addresses need "
                + (version.parsed().guestAgentAuditPriv() ? "VM.GuestAgent.Audit" : "VM.Monitor")
                + "; reported once per run)");
      }
      return new AgentAnswer(null, false);
    } catch (RuntimeException e) {
      // An agent that is configured but not running answers 500, and so does a flaky tunnel: the
      // addresses are unknown, not gone, so the last run's stay. Powering off is what clears them
      // (a stopped guest's agent is not asked).
      return new AgentAnswer(null, true);
    }
  }

  private AgentAnswer lxcInterfaces(GuestApi api, String key) {
    try {
      return new AgentAnswer(api.interfaces(), false);
    } catch (ProxmoxException.AuthenticationFailed e) {
      throw e;
    } catch (ProxmoxException.PermissionDenied e) {
      if (interfacesDenied.compareAndSet(false, true)) {
        book.problem(
            DiscoveryProblem.Kind.MISSING_PERMISSION, key, ClusterReads.permissionMessage(e));
      }
      return new AgentAnswer(null, false);
    } catch (RuntimeException e) {
      return new AgentAnswer(null, true);
    }
  }

  /**
   * A guest whose config could not be read keeps the CI of the last run (so a transient failure
   * never shows up as a diff); a new one gets a CI from its resources row alone.
   */
  void keepPreviousOrRowOnly(
      ClusterResource row,
      ConfigurationItem before,
      Map<String, Boolean> sharedStorage,
      Set<String> vnets) {
    if (before != null) {
      carryOver(row, before);
    } else {
      assembly.put(rowOnly(row, sharedStorage, vnets));
    }
  }

  void carryOver(ClusterResource row, ConfigurationItem before) {
    assembly.put(before);
    assembly.keepOne(ProxmoxKeys.guestFirewall(row.vmid()));
  }

  ConfigurationItem rowOnly(
      ClusterResource row, Map<String, Boolean> sharedStorage, Set<String> vnets) {
    return mapper.guest(
        new ProxmoxMapper.GuestInputs(
            row, null, null, false, Set.of(), sharedStorage, vnets, List.of()));
  }

  private static final class MalformedConfig extends RuntimeException {
    MalformedConfig(String message) {
      super(message);
    }
  }
}
