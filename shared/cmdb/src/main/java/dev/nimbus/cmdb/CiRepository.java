package dev.nimbus.cmdb;

import dev.nimbus.model.CiId;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where CIs, their history, the discovery state and run records are kept: the seam between the
 * apply rules ({@link CmdbService}) and DynamoDB. Cursors are opaque strings from a previous {@link
 * Page}; a null cursor starts at the beginning.
 *
 * <p>Queries by type, compartment and relationship return live CIs only (not {@code
 * RESOURCE_DELETED}); {@link #byConnection} returns every CI of the connection, deleted ones
 * included, each with its status.
 */
public interface CiRepository {

  /** At most this many CI writes per {@link #write} call (two items each, 100 per transaction). */
  int MAX_WRITES_PER_CALL = CmdbSettings.MAX_CIS_PER_TRANSACTION;

  /** The CI of a connection by native key, read consistently. */
  Optional<StoredCi> find(ConnectionRef connection, String nativeKey);

  /** The connection's CIs in native key order, deleted ones included. */
  Page<StoredCi> byConnection(ConnectionRef connection, int pageSize, String cursor);

  /** Every CI of the connection (all pages of {@link #byConnection}). */
  default List<StoredCi> allOfConnection(ConnectionRef connection) {
    List<StoredCi> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<StoredCi> page = byConnection(connection, 500, cursor);
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /** Live CIs of a tenant with one semantic type, across its connections. */
  Page<StoredCi> byTenantAndType(String tenantId, SemanticType type, int pageSize, String cursor);

  /**
   * Live CIs of a connection that are members of one of its compartments (a Proxmox pool), by the
   * pool's CI id. The tenant and connection are part of the index key, so a compartment id of
   * another tenant or connection (CI ids are hashes of guessable names) reads nothing.
   */
  Page<StoredCi> byCompartment(
      ConnectionRef connection, CiId compartment, int pageSize, String cursor);

  /**
   * Live CIs of a connection with a relationship of {@code kind} to {@code targetNativeKey}: what
   * runs on {@code node/pve1}, what is attached to {@code network/pve1/vmbr0}.
   */
  Page<StoredCi> byRelationship(
      ConnectionRef connection,
      RelationshipKind kind,
      String targetNativeKey,
      int pageSize,
      String cursor);

  /**
   * The history of a CI of {@code connection}, newest first. The tenant and connection are part of
   * the history's partition key, so the id of another tenant's or connection's CI reads nothing.
   */
  Page<CiHistoryEntry> timeline(ConnectionRef connection, CiId ciId, int pageSize, String cursor);

  /**
   * Stores the CIs and their history entries atomically, at most {@link #MAX_WRITES_PER_CALL}
   * writes. Fails with {@link CiConflictException}, storing nothing, when a stored CI is not at the
   * expected version or a history entry for the same state exists.
   */
  void write(List<CiWrite> writes);

  /** The stored discovery state of a connection. */
  Optional<DiscoveryState> discoveryState(ConnectionRef connection);

  /**
   * Stores the discovery state if the stored one is at {@code expectedVersion} (0: none), else
   * fails with {@link CiConflictException}. Returns the state with its new version.
   */
  DiscoveryState saveDiscoveryState(DiscoveryState state, long expectedVersion);

  /** Stores a run record (a later record with the same start instant replaces it). */
  void saveRun(RunRecord run);

  /** The latest {@code n} runs of a connection, newest first. */
  List<RunRecord> latestRuns(ConnectionRef connection, int n);
}
