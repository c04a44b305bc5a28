package dev.nimbus.cmdb;

/**
 * A conditional write lost a race: another writer changed the item since it was read (optimistic
 * locking), or a history entry for the same state already exists. Nothing of the failed write was
 * stored; re-read and decide again.
 */
public final class CiConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CiConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  public CiConflictException(String message) {
    super(message);
  }
}
