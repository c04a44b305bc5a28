package dev.nimbus.discovery;

import dev.nimbus.aws.ConfigCheck;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;

/**
 * Configuration of the discovery functions, read from the Lambda environment once at start-up (see
 * application.properties for the variable behind each {@code nimbus.discovery.*} key) and checked
 * as a whole: a function that cannot run fails to start and names every missing or invalid
 * variable.
 *
 * @param region the AWS region ({@code AWS_REGION}); required, never guessed
 * @param tableName the Nimbus table ({@code TABLE_NAME})
 * @param tokenKeyId the KMS key or alias for token secrets ({@code TOKEN_KEY_ID})
 * @param queueUrl the queue that carries one message per due connection ({@code
 *     DISCOVERY_QUEUE_URL}); required by the schedule function, empty for the others
 * @param sweepRuns every guest config is re-read at least every this many runs
 * @param maxConcurrentRequests Proxmox calls in flight per connection: enough to hide a tunnel's
 *     round trip (pveproxy queues what its workers cannot take at once)
 * @param runBudget the deadline of one run; shorter than the function timeout so the run can record
 *     its outcome
 * @param guestAgent whether to ask QEMU guest agents for IP addresses
 * @param historyRetentionDays days a CI history item is kept
 */
public record DiscoveryProperties(
    Region region,
    String tableName,
    String tokenKeyId,
    String queueUrl,
    int sweepRuns,
    int maxConcurrentRequests,
    Duration runBudget,
    boolean guestAgent,
    int historyRetentionDays) {

  /** The function that queues due connections; only it needs the queue. */
  static final String SCHEDULE_FUNCTION = "scheduleDiscovery";

  /**
   * Reads and checks the configuration of the function(s) named by {@code functionDefinition}.
   *
   * @param lookup the Spring environment's value of a key ({@code nimbus.discovery.*}, {@code
   *     AWS_REGION}, {@code aws.region})
   * @throws IllegalStateException naming every missing or invalid variable
   */
  public static DiscoveryProperties read(
      Function<String, String> lookup, String functionDefinition) {
    ConfigCheck check = new ConfigCheck(name(functionDefinition), lookup);
    Region region = check.region();
    String table = check.required("nimbus.discovery.table-name", "TABLE_NAME");
    String key = check.required("nimbus.discovery.token-key-id", "TOKEN_KEY_ID");
    boolean schedules =
        functionDefinition == null
            || functionDefinition.isBlank()
            || functionDefinition.contains(SCHEDULE_FUNCTION);
    String queue =
        schedules
            ? check.required("nimbus.discovery.queue-url", "DISCOVERY_QUEUE_URL")
            : check.optional("nimbus.discovery.queue-url");
    int sweep = check.integer("nimbus.discovery.sweep-runs", "DISCOVERY_SWEEP_RUNS", 24, 1, 10_000);
    int inFlight =
        check.integer(
            "nimbus.discovery.max-concurrent-requests",
            "PROXMOX_MAX_CONCURRENT_REQUESTS",
            16,
            1,
            64);
    // Lambda stops a function after 15 minutes; the budget must leave time to record the run.
    Duration budget =
        check.duration(
            "nimbus.discovery.run-budget",
            "DISCOVERY_RUN_BUDGET",
            Duration.ofMinutes(13),
            Duration.ofSeconds(10),
            Duration.ofMinutes(14));
    boolean agent = check.bool("nimbus.discovery.guest-agent", "DISCOVERY_GUEST_AGENT", true);
    int retention =
        check.integer(
            "nimbus.discovery.history-retention-days", "CI_HISTORY_RETENTION_DAYS", 400, 1, 36_500);
    check.orThrow();
    return new DiscoveryProperties(
        region, table, key, queue, sweep, inFlight, budget, agent, retention);
  }

  private static String name(String functionDefinition) {
    return functionDefinition == null || functionDefinition.isBlank()
        ? "the discovery function"
        : "the discovery function " + functionDefinition;
  }
}
