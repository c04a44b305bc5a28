package dev.nimbus.pulumi.runner;

import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.StepEventMetadata;
import dev.nimbus.deployments.ResourceStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an operation's engine event stream into resource steps and a summary. The summary comes
 * from the stream's own summary event (the Automation API's {@code refresh} summary is read from
 * stale history in 1.36.1), so preview, up, destroy and a preview-only refresh (drift) all use this
 * one reader. Diagnostics of severity error are kept as the run's errors. Not thread-safe on its
 * own; the engine delivers events in order on one thread.
 */
public final class StackEvents {
  private final Map<String, ResourceStep> steps = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private Map<String, Integer> summary;
  private int events;

  public void accept(EngineEvent e) {
    events++;
    if (e.resourcePreEvent() != null) {
      StepEventMetadata m = e.resourcePreEvent().metadata();
      if (m != null && !isInternal(m.type())) {
        steps.put(m.urn(), step(m, false, false, null));
      }
    } else if (e.resourceOutputsEvent() != null) {
      StepEventMetadata m = e.resourceOutputsEvent().metadata();
      if (m != null && !isInternal(m.type())) {
        Map<String, Object> outputs =
            m.new_() == null || m.new_().outputs() == null ? Map.of() : m.new_().outputs();
        steps.put(m.urn(), step(m, true, false, outputs));
      }
    } else if (e.resourceOperationFailedEvent() != null) {
      StepEventMetadata m = e.resourceOperationFailedEvent().metadata();
      if (m != null) {
        steps.put(m.urn(), step(m, true, true, null));
      }
    } else if (e.diagnosticEvent() != null) {
      var d = e.diagnosticEvent();
      if ("error".equals(d.severity()) && d.message() != null) {
        errors.add(d.message().strip());
      }
    } else if (e.summaryEvent() != null) {
      Map<String, Integer> s = new TreeMap<>();
      e.summaryEvent().resourceChanges().forEach((op, n) -> s.put(opName(op), n));
      summary = s;
    }
  }

  /** True for the stack itself and providers, which are not user resources. */
  private static boolean isInternal(String type) {
    return type == null
        || type.equals("pulumi:pulumi:Stack")
        || type.startsWith("pulumi:providers:");
  }

  private static ResourceStep step(
      StepEventMetadata m, boolean done, boolean failed, Map<String, Object> outputs) {
    Map<String, String> detailed = new TreeMap<>();
    if (m.detailedDiff() != null) {
      m.detailedDiff().forEach((k, v) -> detailed.put(k, String.valueOf(v.kind())));
    }
    return new ResourceStep(
        opName(m.op()), m.urn(), m.type(), m.diffs(), detailed, done, failed, outputs);
  }

  /** The engine's own spelling: {@code create}, {@code create-replacement}, ... */
  public static String opName(Object op) {
    return op == null
        ? "unknown"
        : (op instanceof Enum<?> e ? e.name() : op.toString())
            .toLowerCase(java.util.Locale.ROOT)
            .replace('_', '-');
  }

  public List<ResourceStep> steps() {
    return List.copyOf(steps.values());
  }

  /** Resource changes by operation from the summary event; empty until it arrives. */
  public Map<String, Integer> summary() {
    return summary == null ? Map.of() : Map.copyOf(summary);
  }

  public boolean hasSummary() {
    return summary != null;
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }

  public int eventCount() {
    return events;
  }
}
