package dev.nimbus.pulumi.runner.drift;

import java.util.List;

/**
 * Sends drift events (the bus, webhooks). Returns the events it could not send; a check keeps no
 * record of them beyond its answer's errors (the drift records are stored either way).
 */
@FunctionalInterface
public interface DriftNotifier {
  List<DriftEvents.Event> send(List<DriftEvents.Event> events);

  /** Both in turn: every event goes to each; what either could not send is returned once. */
  static DriftNotifier both(DriftNotifier a, DriftNotifier b) {
    return events -> {
      java.util.LinkedHashSet<DriftEvents.Event> failed = new java.util.LinkedHashSet<>();
      failed.addAll(a.send(events));
      failed.addAll(b.send(events));
      return List.copyOf(failed);
    };
  }
}
