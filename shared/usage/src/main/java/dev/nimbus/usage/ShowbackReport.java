package dev.nimbus.usage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Usage and cost of one subject (a CI, compartment, tenant or tag) over a range: the totals, the
 * cost per currency rounded to its minor unit, the rows it is made of (one per hour for a CI, one
 * per day and connection for rollups) and the connections that have no rate card (their usage is in
 * the totals, not in the cost).
 */
public record ShowbackReport(
    String subject,
    Instant from,
    Instant to,
    UsageTotals usage,
    Map<String, Cost> cost,
    List<Row> rows,
    List<String> unpricedConnections) {

  public record Row(Instant start, String connectionId, UsageTotals usage, Cost cost) {}
}
