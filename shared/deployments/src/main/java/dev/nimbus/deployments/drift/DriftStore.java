package dev.nimbus.deployments.drift;

import dev.nimbus.model.ConnectionRef;
import java.util.List;

/**
 * Where drift records are kept: one per (connection, stack, resource), open or resolved, in the
 * connection's partition ({@code DRIFT#<stack>#<nativeKey>}, keys in {@code TableKeys}).
 */
public interface DriftStore {
  /** Stores the record (replacing the one of the same stack and resource). */
  void put(Drift drift);

  /** The connection's records (all stacks and the unmanaged list), by stack and native key. */
  List<Drift> byConnection(ConnectionRef connection);

  /** One stack's records ({@code <project>/<stack>}, or {@link Drift#UNMANAGED_STACK}). */
  List<Drift> byStack(ConnectionRef connection, String stack);

  /** Item writes so far (the tests count them). */
  long writes();
}
