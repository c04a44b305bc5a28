package dev.nimbus.usagefn;

import dev.nimbus.model.ConnectionRef;
import java.time.Instant;
import java.util.List;

/**
 * What one sample of one connection did: how usage was read and with how many Proxmox calls, how
 * many CIs it covered, what it wrote, where the cursor now stands, and what went wrong (field
 * errors of a refused request, or a failed sample's reason, or problems with single resources).
 */
public record SampleReport(
    ConnectionRef connection,
    boolean succeeded,
    List<String> methods,
    long proxmoxCalls,
    int cis,
    int slices,
    int hourWrites,
    int rollupWrites,
    int stateWrites,
    long dynamoDbWriteRequests,
    Instant cursor,
    long durationMs,
    List<String> problems) {

  static SampleReport failed(ConnectionRef ref, long calls, long durationMs, String reason) {
    return new SampleReport(
        ref, false, List.of(), calls, 0, 0, 0, 0, 0, 0, null, durationMs, List.of(reason));
  }
}
