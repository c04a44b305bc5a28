package dev.nimbus.cmdb;

/**
 * Why a CI was written, as a stream consumer names the event: the CI appeared, its content changed,
 * it vanished from a completely read scope, its scope could not be read, or it was seen again after
 * being unreachable.
 */
public enum ChangeKind {
  /** First seen, or seen again after it had been deleted. */
  CREATED,
  /** Its content (name, scope, attributes, relationships) changed. */
  UPDATED,
  /** Its scope was read completely and it was not there. */
  DELETED,
  /** Its scope could not be read; the last known state is kept. */
  UNREACHABLE,
  /** Seen again after being unreachable (content may or may not have changed). */
  RECOVERED
}
