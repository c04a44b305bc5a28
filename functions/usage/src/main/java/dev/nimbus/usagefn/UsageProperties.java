package dev.nimbus.usagefn;

import dev.nimbus.aws.ConfigCheck;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;

/**
 * Configuration of the usage function, read once at start-up and checked as a whole.
 *
 * @param samplePeriod the schedule's period ({@code USAGE_SAMPLE_PERIOD_MINUTES}); a connection
 *     never sampled before starts one period back. At most 25 minutes: the metrics export keeps 30.
 * @param retentionDays days hourly usage and rollups are kept ({@code USAGE_RETENTION_DAYS})
 * @param runBudget the deadline of one invocation's Proxmox calls
 */
public record UsageProperties(
    Region region,
    String tableName,
    String tokenKeyId,
    Duration samplePeriod,
    int retentionDays,
    int maxConcurrentRequests,
    Duration runBudget) {

  public static UsageProperties read(Function<String, String> lookup) {
    ConfigCheck check = new ConfigCheck("the usage function sampleUsage", lookup);
    Region region = check.region();
    String table = check.required("nimbus.usage.table-name", "TABLE_NAME");
    String key = check.required("nimbus.usage.token-key-id", "TOKEN_KEY_ID");
    int period =
        check.integer(
            "nimbus.usage.sample-period-minutes", "USAGE_SAMPLE_PERIOD_MINUTES", 5, 1, 25);
    int retention =
        check.integer("nimbus.usage.retention-days", "USAGE_RETENTION_DAYS", 400, 1, 3650);
    int inFlight =
        check.integer(
            "nimbus.usage.max-concurrent-requests", "PROXMOX_MAX_CONCURRENT_REQUESTS", 16, 1, 64);
    Duration budget =
        check.duration(
            "nimbus.usage.run-budget",
            "USAGE_RUN_BUDGET",
            Duration.ofMinutes(4),
            Duration.ofSeconds(10),
            Duration.ofMinutes(14));
    check.orThrow();
    return new UsageProperties(
        region, table, key, Duration.ofMinutes(period), retention, inFlight, budget);
  }
}
