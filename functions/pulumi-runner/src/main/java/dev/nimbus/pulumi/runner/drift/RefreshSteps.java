package dev.nimbus.pulumi.runner.drift;

import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.StepEventMetadata;
import dev.nimbus.pulumi.runner.StackEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a preview-only refresh's engine event stream into one step per resource: operation, URN,
 * type, the properties that differ (the detailed diff's paths, else the top-level diffs), the
 * outputs the state held ({@code old}) and the outputs read from Proxmox ({@code new}, absent when
 * the resource is gone). The summary and error diagnostics come from the runner's {@link
 * StackEvents}, which reads the same stream (the Automation API's refresh summary is read from
 * stale history in 1.36.1).
 *
 * <p>A refresh step's {@code op} is {@code refresh} in the engine's events; a resource the read did
 * not find has no new state (or {@code op} {@code delete}), one whose outputs differ has diffs.
 * Later events of the same URN (the outputs event after the pre event) replace earlier ones.
 */
public final class RefreshSteps {
  /** One resource's refresh result. */
  public record Step(
      String op,
      String urn,
      String type,
      List<String> paths,
      Map<String, Object> oldOutputs,
      Map<String, Object> newOutputs,
      boolean gone) {}

  private final Map<String, Step> steps = new LinkedHashMap<>();
  private final StackEvents events = new StackEvents();

  public void accept(EngineEvent e) {
    events.accept(e);
    StepEventMetadata m = null;
    boolean outputs = false;
    if (e.resourcePreEvent() != null) {
      m = e.resourcePreEvent().metadata();
    } else if (e.resourceOutputsEvent() != null) {
      m = e.resourceOutputsEvent().metadata();
      outputs = true;
    }
    if (m == null || m.type() == null || m.type().startsWith("pulumi:")) {
      return;
    }
    String op = StackEvents.opName(m.op());
    TreeSet<String> paths = new TreeSet<>();
    if (m.detailedDiff() != null && !m.detailedDiff().isEmpty()) {
      paths.addAll(m.detailedDiff().keySet());
    } else if (m.diffs() != null) {
      paths.addAll(m.diffs());
    }
    Map<String, Object> oldOut = m.old() == null ? null : m.old().outputs();
    Map<String, Object> newOut = m.new_() == null ? null : m.new_().outputs();
    // The read's result is in the outputs event: no new state there means Proxmox has no such
    // resource any more. A pre event only announces the step.
    boolean gone = op.startsWith("delete") || (outputs && m.old() != null && m.new_() == null);
    steps.put(
        m.urn(), new Step(op, m.urn(), m.type(), new ArrayList<>(paths), oldOut, newOut, gone));
  }

  public Step step(String urn) {
    return steps.get(urn);
  }

  public List<Step> steps() {
    return List.copyOf(steps.values());
  }

  /** Resource changes by operation from the stream's summary event. */
  public Map<String, Integer> summary() {
    return events.summary();
  }

  public boolean hasSummary() {
    return events.hasSummary();
  }

  public List<String> errors() {
    return events.errors();
  }
}
