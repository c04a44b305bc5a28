package dev.nimbus.reliability;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of bin/reliability as Markdown: one table of what was measured against its target
 * (table faults, bad input, secrets), then the bad inputs per route and the outputs scanned.
 *
 * @param faults the table-fault rows, empty when TableFaultCampaign is not on the class path
 * @param faultsNote why there are no fault rows (or null)
 * @param secretsUsed distinct secrets handed to the functions (and scanned for)
 */
record ReliabilityReport(
    LocalDate date,
    String command,
    List<TableFaults.Row> faults,
    String faultsNote,
    List<BadInputCampaign.RouteResult> routes,
    List<SecretScan.Output> outputs,
    int secretsUsed) {

  private static final String DASH = "-";

  long serverErrors() {
    return routes.stream().mapToLong(BadInputCampaign.RouteResult::serverErrors).sum();
  }

  long badInputsTried() {
    return routes.stream().mapToLong(BadInputCampaign.RouteResult::tried).sum();
  }

  long accepted() {
    return routes.stream().mapToLong(BadInputCampaign.RouteResult::other).sum();
  }

  long secretsFound() {
    return outputs.stream().mapToLong(SecretScan.Output::found).sum();
  }

  /** Every target met: 0 lost, 0 false deletes or rewrites, 0 secrets, 0 5xx for bad input. */
  boolean targetsMet() {
    return serverErrors() == 0
        && secretsFound() == 0
        && !routes.isEmpty()
        && outputs.stream().allMatch(o -> o.texts() > 0)
        && faults.stream().allMatch(TableFaults.Row::targetsMet);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("Measured ")
        .append(date)
        .append(" with `")
        .append(command)
        .append("`. Targets: 0 CIs lost, 0 false deletes, 0 false rewrites, 0 events lost,")
        .append(" 0 secrets found, 0 5xx for bad input.\n\n");
    md.append(
        "| Measured | Runs / inputs | CIs lost | CIs falsely deleted | CIs falsely rewritten"
            + " | Events lost | Events doubled | Secrets found | 5xx | Target |\n");
    md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for (TableFaults.Row f : faults) {
      row(
          md,
          "Table fault: " + f.kind() + f.injectedNote(),
          f.runs(),
          f.value("cisLost"),
          f.value("falseDeletes"),
          f.value("falseRewrites"),
          f.value("eventsLost"),
          f.value("eventsDoubled"),
          Optional.empty(),
          Optional.empty(),
          f.targetsMet());
    }
    if (faults.isEmpty()) {
      md.append("| Table faults | ")
          .append(faultsNote == null ? "not measured" : faultsNote)
          .append(" | | | | | | | | |\n");
    }
    long accepted = accepted();
    row(
        md,
        "Bad input, "
            + routes.size()
            + " routes of the wizard's API"
            + (accepted > 0 ? " (" + accepted + " accepted, see below)" : ""),
        badInputsTried(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(serverErrors()),
        serverErrors() == 0 && !routes.isEmpty());
    for (SecretScan.Output o : outputs) {
      row(
          md,
          "Secret scan: " + o.name(),
          o.texts(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(o.found()),
          Optional.empty(),
          o.found() == 0 && o.texts() > 0);
    }
    md.append("\nBad inputs per route (each answer's class; 4xx is the target):\n\n");
    md.append("| Route | Bad inputs | 4xx | 5xx | Other |\n|---|--:|--:|--:|--:|\n");
    for (BadInputCampaign.RouteResult r : routes) {
      md.append("| `")
          .append(r.route())
          .append("` | ")
          .append(r.tried())
          .append(" | ")
          .append(r.clientErrors())
          .append(" | ")
          .append(r.serverErrors())
          .append(" | ")
          .append(r.other())
          .append(" |\n");
    }
    List<String> examples = new ArrayList<>();
    routes.forEach(r -> examples.addAll(r.examples()));
    if (!examples.isEmpty()) {
      md.append("\nAnswers other than 4xx (first few per route):\n\n");
      examples.forEach(e -> md.append("- ").append(e).append('\n'));
    }
    md.append("\nOutputs scanned for the ")
        .append(String.format(Locale.ROOT, "%,d", secretsUsed))
        .append(" secrets used (token secrets, passwords, secret header values; verbatim or")
        .append(" Base64):\n\n");
    md.append("| Output | Texts | Characters | Secrets found |\n|---|--:|--:|--:|\n");
    for (SecretScan.Output o : outputs) {
      md.append("| ")
          .append(o.name())
          .append(" | ")
          .append(o.texts())
          .append(" | ")
          .append(o.characters())
          .append(" | ")
          .append(o.found())
          .append(o.where().isEmpty() ? "" : " (in " + String.join(", ", o.where()) + ")")
          .append(" |\n");
    }
    md.append("\nAll targets ").append(targetsMet() ? "met" : "NOT met").append(".\n");
    return md.toString();
  }

  private static void row(
      StringBuilder md,
      String what,
      long runs,
      Optional<Long> lost,
      Optional<Long> deletes,
      Optional<Long> rewrites,
      Optional<Long> eventsLost,
      Optional<Long> eventsDoubled,
      Optional<Long> secrets,
      Optional<Long> serverErrors,
      boolean met) {
    md.append("| ").append(what).append(" | ").append(String.format(Locale.ROOT, "%,d", runs));
    for (Optional<Long> v :
        List.of(lost, deletes, rewrites, eventsLost, eventsDoubled, secrets, serverErrors)) {
      md.append(" | ").append(v.map(String::valueOf).orElse(DASH));
    }
    md.append(" | ").append(met ? "met" : "**missed**").append(" |\n");
  }
}
