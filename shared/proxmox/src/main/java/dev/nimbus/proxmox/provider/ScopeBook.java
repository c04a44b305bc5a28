package dev.nimbus.proxmox.provider;

import dev.nimbus.model.DiscoveryProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scope bookkeeping of one discovery run, shared by its parallel calls:
 *
 * <ul>
 *   <li>attempted scopes: the run read them; those neither incomplete nor unreachable are complete,
 *       and only there may a CI the run did not see be deleted;
 *   <li>incomplete scopes: a list of the scope failed, so nothing in it is deleted;
 *   <li>unreachable scopes: a node that did not answer; its CIs are marked unreachable;
 *   <li>failed parts: calls that failed but whose data the run kept from the previous CIs (the
 *       cluster firewall's options, one vnet's subnets): named in the run record, deleting nothing,
 *       without holding back the rest of their scope.
 * </ul>
 */
final class ScopeBook {
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final Set<String> incomplete = ConcurrentHashMap.newKeySet();
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  private final Set<String> failedParts = ConcurrentHashMap.newKeySet();
  private final List<DiscoveryProblem> problems = Collections.synchronizedList(new ArrayList<>());

  void attempt(String scope) {
    attempted.add(scope);
  }

  /** A list of {@code scope} could not be read: nothing in the scope is deleted this run. */
  void failed(String scope) {
    incomplete.add(scope);
  }

  /** A call that supplies {@code part} failed; what it supplies is kept from before. */
  void failedPart(String part, DiscoveryProblem.Kind kind, String message) {
    failedParts.add(part);
    problem(kind, part, message);
  }

  /** A node did not answer; reported once. */
  void unreachable(String scope, String message) {
    if (unreachable.add(scope)) {
      problem(DiscoveryProblem.Kind.SCOPE_UNREACHABLE, scope, message);
    }
  }

  void problem(DiscoveryProblem.Kind kind, String subject, String message) {
    problems.add(new DiscoveryProblem(kind, subject, message));
  }

  boolean isUnreachable(String scope) {
    return unreachable.contains(scope);
  }

  boolean isComplete(String scope) {
    return attempted.contains(scope) && !incomplete.contains(scope) && !unreachable.contains(scope);
  }

  Set<String> complete() {
    Set<String> out = new TreeSet<>(attempted);
    out.removeAll(incomplete);
    out.removeAll(unreachable);
    return out;
  }

  Set<String> unreachableScopes() {
    return new TreeSet<>(unreachable);
  }

  /** For the run record: the incomplete scopes and the failed parts. */
  Set<String> failedScopes() {
    Set<String> out = new TreeSet<>(incomplete);
    out.addAll(failedParts);
    return out;
  }

  List<DiscoveryProblem> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }
}
