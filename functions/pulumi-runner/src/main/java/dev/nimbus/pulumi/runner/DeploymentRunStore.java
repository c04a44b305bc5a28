package dev.nimbus.pulumi.runner;

import dev.nimbus.model.ConnectionRef;
import java.util.List;
import java.util.Optional;

/**
 * Where run records and CI-to-URN links are kept. Links are separate items of the connection, keyed
 * by the CI's native key, so they are outside the CI's content hash (being managed by Nimbus is not
 * a change of the CI) and exist even before the next discovery has seen what was created.
 */
public interface DeploymentRunStore {
  void save(DeploymentRun run);

  Optional<DeploymentRun> find(ConnectionRef connection, String runId);

  /** Native key to URN of everything the stack's last {@code UP} created or updated. */
  void link(ConnectionRef connection, String stack, java.util.Map<String, String> nativeKeyToUrn);

  /** The native keys linked to {@code stack}. */
  java.util.Map<String, String> links(ConnectionRef connection, String stack);

  /** Writes so far (the tests count them). */
  long writes();

  /** Runs of a connection, newest first. */
  List<DeploymentRun> runs(ConnectionRef connection);
}
