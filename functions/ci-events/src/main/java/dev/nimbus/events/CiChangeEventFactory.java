package dev.nimbus.events;

import dev.nimbus.cmdb.CiChange;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.CiItemCodec;
import java.util.Optional;

/**
 * Turns a stream record into the CI change event it stands for, if any. The CMDB writes each CI
 * state with its last change on the CI item itself, so the record's NEW image alone carries the
 * event; it is decoded with the CMDB's own {@link CiItemCodec}.
 *
 * <p>No event for: records of other items (history, runs, discovery state, connections, webhooks),
 * removals (the CMDB marks a vanished CI deleted and keeps the item; a removed item is
 * housekeeping), and a CI item rewritten without a new configuration state.
 */
public final class CiChangeEventFactory {

  /**
   * The event of a record, or empty when it stands for none.
   *
   * @throws RuntimeException when the record is a CI item that cannot be decoded (a poison record)
   */
  public Optional<CiChangeEvent> eventFor(ChangeRecord record) {
    if (record.newImage().isEmpty() || !CiItemCodec.isCi(record.newImage())) {
      return Optional.empty();
    }
    StoredCi now = CiItemCodec.decode(record.newImage());
    if (!record.oldImage().isEmpty() && CiItemCodec.isCi(record.oldImage())) {
      StoredCi before = CiItemCodec.decode(record.oldImage());
      if (before.configurationStateId() == now.configurationStateId()) {
        return Optional.empty();
      }
    }
    CiChange change = now.lastChange();
    return Optional.of(
        CiChangeEvent.of(
            change.kind(),
            SecretRedaction.redact(now.item()),
            now.configurationStateId(),
            SecretRedaction.redact(change.changedProperties()),
            change.capturedAt(),
            change.attribution()));
  }
}
