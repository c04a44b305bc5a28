package dev.nimbus.local;

import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.SemanticType;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The summary of a local run: the run record's counts, the connection's CIs by semantic type, the
 * problems, and the first {@value #MAX_EVENT_LINES} change events.
 */
final class SummaryPrinter {
  static final int MAX_EVENT_LINES = 25;

  private SummaryPrinter() {}

  /** Prints what the run found and changed, and its change events. */
  static void print(LocalRun.Result r, PrintStream to) {
    RunRecord run = r.run();
    Map<SemanticType, Integer> byType = new EnumMap<>(SemanticType.class);
    int relationships = 0;
    int deleted = 0;
    for (StoredCi ci : r.cis()) {
      if (ci.status() == CiStatus.RESOURCE_DELETED) {
        deleted++;
        continue;
      }
      byType.merge(ci.item().semanticType(), 1, Integer::sum);
      relationships += ci.item().relationships().size();
    }
    to.println();
    to.printf(
        "Discovery of %s %s in %.1f s%n",
        r.connection(),
        r.succeeded() ? (run.partial() ? "finished with problems" : "succeeded") : "FAILED",
        run.duration().toMillis() / 1000.0);
    to.printf(
        "  CIs            %d: %s%s%n",
        byType.values().stream().mapToInt(Integer::intValue).sum(),
        byType.entrySet().stream()
            .map(e -> e.getValue() + " " + typeName(e.getKey()))
            .collect(Collectors.joining(", ")),
        deleted == 0 ? "" : " (and " + deleted + " deleted)");
    to.printf("  relationships  %d%n", relationships);
    to.printf(
        "  this run       %d created, %d updated, %d deleted, %d unreachable, %d recovered,"
            + " %d unchanged%n",
        run.created(),
        run.updated(),
        run.deleted(),
        run.unreachable(),
        run.recovered(),
        run.unchanged());
    to.printf("  CI writes      %d%n", r.ciWrites());
    to.printf("  Proxmox calls  %d%n", run.providerCalls());
    to.printf(
        "  DynamoDB       %d write request%s, %d item%s (and 1 for this run record)%n",
        run.dynamoDbWriteRequests(),
        run.dynamoDbWriteRequests() == 1 ? "" : "s",
        run.dynamoDbWrittenItems(),
        run.dynamoDbWrittenItems() == 1 ? "" : "s");
    if (!run.partialScopes().isEmpty()) {
      to.printf("  unreachable    %s%n", String.join(", ", run.partialScopes()));
    }
    if (run.errors().isEmpty()) {
      to.println("  problems       none");
    } else {
      to.printf("  problems       %d%n", run.errors().size());
      run.errors().forEach(e -> to.println("    " + e));
    }
    if (r.events().isEmpty()) {
      to.println("Change events: none");
      return;
    }
    to.printf("Change events (%d):%n", r.events().size());
    r.events().stream().limit(MAX_EVENT_LINES).forEach(e -> to.println("  " + e.summary()));
    if (r.events().size() > MAX_EVENT_LINES) {
      to.printf(
          "  ... and %d more (--output json lists every CI)%n",
          r.events().size() - MAX_EVENT_LINES);
    }
  }

  /** {@code SECURITY_GROUP} reads as {@code SecurityGroup}. */
  static String typeName(SemanticType type) {
    return Arrays.stream(type.name().split("_"))
        .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining());
  }
}
