package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.drift.DriftValues;
import dev.nimbus.infra.ResourceKind;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.PropertyChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Classifies what a preview-only refresh of one stack and the CMDB say about each of the stack's
 * resources. The join from a state resource to its CI is on (connection, resource family, vmid /
 * pool id / vnet id), through the native key the resource's outputs name ({@code qemu/130}); the
 * node is not part of it, so a migrated guest keeps its CI.
 *
 * <ul>
 *   <li>gone: the refresh found no resource, or the CI is deleted (or missing while the refresh did
 *       not read the resource either); a resource the refresh read but discovery has not seen yet
 *       is left alone until the next run;
 *   <li>each property the refresh reports is noise (on the ignore list), managed (its top-level
 *       property is among the state's inputs: the program sets it) or unmanaged;
 *   <li>CMDB changes since the stack's last up that the refresh did not report and that no managed
 *       property covers are unmanaged too (fields the provider does not read, such as HA state);
 *   <li>managed changes of the node alone are a move; other managed changes are drift.
 * </ul>
 *
 * Authors come from the CMDB: the newest change of a CI path the property maps to.
 */
public final class DriftClassifier {
  /** The facts of one stack's check. */
  public record StackFacts(
      ConnectionRef connection,
      String stack,
      List<StateResource> resources,
      RefreshSteps refresh,
      Map<String, StoredCi> cis,
      Function<StoredCi, List<CiHistoryEntry>> history,
      Instant baseline,
      Set<String> deployUsers) {}

  /** Drift to store and report, and the resources whose only differences are noise. */
  public record Result(List<Drift> drifts, List<Drift> noise) {}

  private final Instant now;

  public DriftClassifier(Instant now) {
    this.now = now;
  }

  public Result classify(StackFacts f) {
    List<Drift> drifts = new ArrayList<>();
    List<Drift> noise = new ArrayList<>();
    for (StateResource r : f.resources()) {
      ResourceKind kind = r.kind().orElse(null);
      Optional<String> key = r.nativeKey();
      if (kind == null || key.isEmpty()) {
        continue;
      }
      StoredCi ci = f.cis().get(key.get());
      RefreshSteps.Step step = f.refresh().step(r.urn());
      boolean readBack = step != null && !step.gone();
      if ((step != null && step.gone())
          || (ci != null && ci.status() == CiStatus.RESOURCE_DELETED)
          || (ci == null && !readBack)) {
        drifts.add(gone(f, r, key.get(), ci));
        continue;
      }
      if (ci == null) {
        // The refresh read it, discovery has not seen it yet (an up just created it): no CI to
        // compare with until the next discovery run, and nothing is missing.
        continue;
      }
      List<DriftProperty> managed = new ArrayList<>();
      List<DriftProperty> unmanaged = new ArrayList<>();
      List<DriftProperty> noisy = new ArrayList<>();
      List<String> enginePaths = step == null ? List.of() : step.paths();
      for (String path : enginePaths) {
        Object previous =
            DriftValues.at(step.oldOutputs() == null ? r.outputs() : step.oldOutputs(), path);
        Object current = DriftValues.at(step.newOutputs(), path);
        boolean isManaged = r.inputs().containsKey(DriftValues.topLevel(path));
        DriftProperty p =
            new DriftProperty(path, previous, current, isManaged, DriftProperty.ENGINE);
        if (ProviderNoise.of(kind, path).isPresent()) {
          noisy.add(p);
        } else if (isManaged) {
          managed.add(p);
        } else {
          unmanaged.add(p);
        }
      }
      List<CiHistoryEntry> since = since(f, ci);
      DriftProperty move =
          managed.stream().filter(p -> p.path().equals("nodeName")).findFirst().orElse(null);
      for (DriftProperty p : cmdbOnly(kind, r, enginePaths, since)) {
        // A move changes what names the node (local storage, the node's bridges): consequences of
        // the move, not changes of their own.
        if (move == null || !followsMove(p, move)) {
          unmanaged.add(p);
        }
      }
      DriftClass c;
      List<DriftProperty> props = new ArrayList<>();
      String recommendation;
      if (!managed.isEmpty()) {
        boolean moveOnly =
            managed.stream().allMatch(p -> DriftValues.topLevel(p.path()).equals("nodeName"));
        c = moveOnly ? DriftClass.MOVE : DriftClass.MANAGED_FIELD_CHANGE;
        props.addAll(managed);
        props.addAll(unmanaged);
        recommendation = moveOnly ? moveAdvice(managed) : managedAdvice(managed);
      } else if (!unmanaged.isEmpty()) {
        c = DriftClass.UNMANAGED_FIELD_CHANGE;
        props.addAll(unmanaged);
        recommendation =
            "informational: the program does not set these fields; nothing to do unless the"
                + " program should manage them";
      } else if (!noisy.isEmpty()) {
        noise.add(
            drift(
                f,
                r,
                key.get(),
                ci,
                DriftClass.PROVIDER_NOISE,
                noisy,
                Attribution.UNKNOWN,
                "ignored: " + noiseReasons(kind, noisy)));
        continue;
      } else {
        continue;
      }
      Attribution who = author(kind, props, since.isEmpty() ? history(f, ci) : since);
      drifts.add(drift(f, r, key.get(), ci, c, props, who, recommendation));
    }
    return new Result(drifts, noise);
  }

  /** The connection's live CIs of the families the programs deploy that no stack manages. */
  public List<Drift> unmanaged(
      ConnectionRef connection, Collection<StoredCi> cis, Set<String> linkedKeys) {
    List<Drift> out = new ArrayList<>();
    for (StoredCi ci : cis) {
      if (ci.status() == CiStatus.RESOURCE_DELETED || linkedKeys.contains(ci.nativeKey())) {
        continue;
      }
      if (!deployable(ci)) {
        continue;
      }
      out.add(
          new Drift(
              connection,
              Drift.UNMANAGED_STACK,
              ci.nativeKey(),
              null,
              null,
              ci.item().semanticType().name(),
              DriftClass.UNMANAGED,
              List.of(),
              null,
              null,
              "listed only: no Nimbus stack manages this resource",
              null,
              DriftStatus.OPEN,
              now,
              null));
    }
    return out;
  }

  /** Guests (not templates), pools, SDN vnets and security groups: what the programs create. */
  static boolean deployable(StoredCi ci) {
    String k = ci.nativeKey();
    if (k.startsWith("qemu/") || k.startsWith("lxc/")) {
      return !Boolean.TRUE.equals(ci.item().attributes().get("template"));
    }
    return k.startsWith("pool/") || k.startsWith("sdn/vnet/") || k.startsWith("firewall/group/");
  }

  private Drift gone(StackFacts f, StateResource r, String key, StoredCi ci) {
    Attribution who =
        ci != null && ci.lastChange().kind() == ChangeKind.DELETED
            ? ci.lastChange().attribution()
            : Attribution.UNKNOWN;
    return drift(
        f,
        r,
        key,
        ci,
        DriftClass.GONE,
        List.of(new DriftProperty("id", r.id(), null, true, DriftProperty.ENGINE)),
        who,
        "deleted in Proxmox: run up to create it again, or destroy the stack to drop it from"
            + " the state");
  }

  private Drift drift(
      StackFacts f,
      StateResource r,
      String key,
      StoredCi ci,
      DriftClass c,
      List<DriftProperty> props,
      Attribution who,
      String recommendation) {
    return new Drift(
        f.connection(),
        f.stack(),
        key,
        r.urn(),
        r.type(),
        ci == null ? null : ci.item().semanticType().name(),
        c,
        props,
        who.user(),
        who.taskId(),
        recommendation,
        null,
        DriftStatus.OPEN,
        now,
        null);
  }

  /** CMDB history of the CI since the stack's last up, newest first, without Pulumi's own. */
  private static List<CiHistoryEntry> since(StackFacts f, StoredCi ci) {
    List<CiHistoryEntry> out = new ArrayList<>();
    for (CiHistoryEntry e : history(f, ci)) {
      if (f.baseline() != null && !e.change().capturedAt().isAfter(f.baseline())) {
        continue;
      }
      if (e.change().kind() == ChangeKind.CREATED) {
        continue;
      }
      String user = e.change().attribution().user();
      if (user != null && f.deployUsers().contains(user)) {
        continue;
      }
      out.add(e);
    }
    return out;
  }

  private static List<CiHistoryEntry> history(StackFacts f, StoredCi ci) {
    return ci == null ? List.of() : f.history().apply(ci);
  }

  /**
   * Net CMDB changes (oldest previous value against newest updated value, per path) that the
   * refresh did not report, that no property the program sets covers, and that describe
   * configuration rather than what runs.
   */
  private static List<DriftProperty> cmdbOnly(
      ResourceKind kind, StateResource r, List<String> enginePaths, List<CiHistoryEntry> since) {
    Map<String, Object[]> net = new LinkedHashMap<>();
    // Oldest first, so the first previous value and the last updated value stand.
    for (int i = since.size() - 1; i >= 0; i--) {
      for (PropertyChange pc : since.get(i).change().changedProperties()) {
        Object[] v = net.computeIfAbsent(pc.path(), p -> new Object[] {pc.previousValue(), null});
        v[1] = pc.updatedValue();
      }
    }
    List<DriftProperty> out = new ArrayList<>();
    for (var e : net.entrySet()) {
      String path = e.getKey();
      if (ManagedFields.isRuntime(path) || DriftValues.same(e.getValue()[0], e.getValue()[1])) {
        continue;
      }
      String property = ManagedFields.propertyOf(kind, path);
      if (property != null
          && (r.inputs().containsKey(property)
              || enginePaths.stream().anyMatch(p -> DriftValues.topLevel(p).equals(property)))) {
        continue;
      }
      out.add(
          new DriftProperty(
              path,
              DriftValues.normalize(e.getValue()[0]),
              DriftValues.normalize(e.getValue()[1]),
              false,
              DriftProperty.CMDB));
    }
    return out;
  }

  /**
   * True when a CMDB change is the node's name replaced, old node by new node, and nothing else.
   */
  static boolean followsMove(DriftProperty p, DriftProperty move) {
    if (!(move.previous() instanceof String from) || !(move.current() instanceof String to)) {
      return false;
    }
    String before = DriftValues.canonical(p.previous());
    return before.contains(from)
        && before.replace(from, to).equals(DriftValues.canonical(p.current()));
  }

  /** The attribution of the newest CMDB change of a CI path any of the properties maps to. */
  private static Attribution author(
      ResourceKind kind, List<DriftProperty> props, List<CiHistoryEntry> history) {
    List<String> ciPaths = new ArrayList<>();
    for (DriftProperty p : props) {
      if (p.source().equals(DriftProperty.CMDB)) {
        ciPaths.add(p.path());
      } else {
        ciPaths.addAll(ManagedFields.ciPaths(kind, p.path()));
      }
    }
    for (CiHistoryEntry e : history) {
      for (PropertyChange pc : e.change().changedProperties()) {
        if (ciPaths.stream().anyMatch(c -> ManagedFields.covers(c, pc.path()))
            && e.change().attribution().isKnown()) {
          return e.change().attribution();
        }
      }
    }
    return Attribution.UNKNOWN;
  }

  private static String moveAdvice(List<DriftProperty> managed) {
    DriftProperty node = managed.getFirst();
    return "not drift: moved from node "
        + node.previous()
        + " to "
        + node.current()
        + " (migration by hand or by HA). Update the program's node input to "
        + node.current()
        + "; do not let an up replace it (the provider plans a replacement when nodeName"
        + " changes: bpg/terraform-provider-proxmox#2081, #391)";
  }

  private static String managedAdvice(List<DriftProperty> managed) {
    StringBuilder b = new StringBuilder("changed outside Pulumi: ");
    for (DriftProperty p : managed) {
      b.append(p.path())
          .append(' ')
          .append(p.previous())
          .append(" -> ")
          .append(p.current())
          .append("; ");
    }
    return b.append(
            "run up to restore the program's values, or change the program's inputs to keep"
                + " them")
        .toString();
  }

  private static String noiseReasons(ResourceKind kind, List<DriftProperty> noisy) {
    return String.join(
        "; ",
        noisy.stream()
            .map(p -> p.path() + ": " + ProviderNoise.of(kind, p.path()).orElseThrow().reason())
            .toList());
  }
}
