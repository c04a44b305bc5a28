package dev.nimbus.discovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the discovery functions, bound from the Lambda environment (see
 * application.properties for the variable names).
 *
 * @param tableName the Nimbus table ({@code TABLE_NAME})
 * @param tokenKeyId the KMS key or alias for token secrets ({@code TOKEN_KEY_ID})
 * @param queueUrl the queue that carries one message per due connection ({@code
 *     DISCOVERY_QUEUE_URL})
 * @param sweepRuns every guest config is re-read at least every this many runs
 * @param maxConcurrentRequests Proxmox calls in flight per connection: enough to hide a tunnel's
 *     round trip (pveproxy queues what its workers cannot take at once)
 * @param runBudget the deadline of one run; shorter than the function timeout so the run can record
 *     its outcome
 * @param guestAgent whether to ask QEMU guest agents for IP addresses
 * @param historyRetentionDays days a CI history item is kept
 */
@ConfigurationProperties("nimbus.discovery")
public record DiscoveryProperties(
    String tableName,
    String tokenKeyId,
    String queueUrl,
    int sweepRuns,
    int maxConcurrentRequests,
    Duration runBudget,
    boolean guestAgent,
    int historyRetentionDays) {}
