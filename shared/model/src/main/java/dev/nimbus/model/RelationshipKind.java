package dev.nimbus.model;

/**
 * The closed set of typed relationships between CIs. Each kind reads from the source CI to the
 * target CI ("VM 101 runs on node pve1") and has an inverse phrase for the other direction.
 */
public enum RelationshipKind {
  /** A compute runs on a host. */
  RUNS_ON("runs on", "hosts"),
  /** A resource is a member of a compartment (pool). */
  MEMBER_OF("member of", "has member"),
  /** A NIC of a compute is attached to a network; a vnet is attached to its zone. */
  ATTACHED_TO("attached to", "has attached"),
  /** A disk of a compute is stored on a storage. */
  STORED_ON("stored on", "stores"),
  /** A resource is protected by a security group / rule set. */
  PROTECTED_BY("protected by", "protects"),
  /**
   * A compartment is contained in its parent compartment; everything is contained in the tenancy.
   */
  CONTAINED_IN("contained in", "contains"),
  /** A resource is located on a host without running there (node-local storage, a bridge). */
  LOCATED_ON("located on", "has located");

  private final String phrase;
  private final String inversePhrase;

  RelationshipKind(String phrase, String inversePhrase) {
    this.phrase = phrase;
    this.inversePhrase = inversePhrase;
  }

  /** How the relationship reads from source to target, for example "runs on". */
  public String phrase() {
    return phrase;
  }

  /** How it reads from target to source, for example "hosts". */
  public String inversePhrase() {
    return inversePhrase;
  }
}
