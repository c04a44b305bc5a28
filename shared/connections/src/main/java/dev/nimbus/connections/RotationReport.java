package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import java.util.List;

/**
 * What {@link ConnectionService#rotateAll} did: connections re-encrypted, connections already under
 * the new key (a re-run after an interruption skips them), and connections that failed (each still
 * holds a complete ciphertext under its old key, so it keeps working).
 */
public record RotationReport(int rotated, int alreadyCurrent, List<ConnectionRef> failed) {
  public RotationReport {
    failed = List.copyOf(failed);
  }
}
