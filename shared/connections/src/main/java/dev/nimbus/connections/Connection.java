package dev.nimbus.connections;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What Nimbus needs to reach one Proxmox VE cluster, as stored: endpoint, tunnel settings (proxy
 * and secret headers), TLS trust, API token (id in clear, secret encrypted), scope, schedule and
 * discovery status. Secrets appear only as {@link EncryptedSecret}s; {@code
 * ConnectionService.resolve} decrypts them for one use.
 *
 * @param tokenId the Proxmox API token id, {@code user@realm!name}
 * @param nextDueAt when discovery should next run; empty when disabled or the schedule has ended
 * @param version optimistic-locking version, 1 after create, +1 on every write
 */
public record Connection(
    ConnectionRef ref,
    String name,
    Endpoint endpoint,
    Optional<TunnelProxy> proxy,
    SortedMap<String, EncryptedSecret> secretHeaders,
    TlsTrust tls,
    String tokenId,
    EncryptedSecret tokenSecret,
    DiscoveryScope scope,
    Schedule schedule,
    ConnectionStatus status,
    Optional<RunSummary> lastRun,
    Optional<Instant> nextDueAt,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    String updatedBy,
    long version) {

  public Connection {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    proxy = proxy == null ? Optional.empty() : proxy;
    secretHeaders =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(secretHeaders == null ? new TreeMap<>() : secretHeaders));
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(tokenSecret, "tokenSecret");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(status, "status");
    lastRun = lastRun == null ? Optional.empty() : lastRun;
    nextDueAt = nextDueAt == null ? Optional.empty() : nextDueAt;
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }

  /** The user-editable, non-secret part. */
  public ConnectionSettings settings() {
    return new ConnectionSettings(
        name, endpoint, proxy, tls, tokenId, scope, schedule.expression());
  }

  /** A copy with new settings (already validated). */
  Connection withSettings(ConnectionSettings s) {
    return new Connection(
        ref,
        s.name(),
        s.endpoint(),
        s.proxy(),
        secretHeaders,
        s.tls(),
        s.tokenId(),
        tokenSecret,
        s.scope(),
        Schedule.parse(s.schedule()),
        status,
        lastRun,
        nextDueAt,
        createdAt,
        createdBy,
        updatedAt,
        updatedBy,
        version);
  }

  /** A copy with other encrypted secrets. */
  Connection withSecrets(
      String newTokenId,
      EncryptedSecret newTokenSecret,
      SortedMap<String, EncryptedSecret> newHeaders) {
    return new Connection(
        ref,
        name,
        endpoint,
        proxy,
        newHeaders,
        tls,
        newTokenId,
        newTokenSecret,
        scope,
        schedule,
        status,
        lastRun,
        nextDueAt,
        createdAt,
        createdBy,
        updatedAt,
        updatedBy,
        version);
  }

  /** A copy with another status, last run and due time. */
  Connection withDiscoveryState(
      ConnectionStatus newStatus, Optional<RunSummary> newLastRun, Optional<Instant> newNextDue) {
    return new Connection(
        ref,
        name,
        endpoint,
        proxy,
        secretHeaders,
        tls,
        tokenId,
        tokenSecret,
        scope,
        schedule,
        newStatus,
        newLastRun,
        newNextDue,
        createdAt,
        createdBy,
        updatedAt,
        updatedBy,
        version);
  }

  /** The copy to store as the next version, changed at {@code at} by {@code actor}. */
  Connection nextVersion(Instant at, String actor) {
    return new Connection(
        ref,
        name,
        endpoint,
        proxy,
        secretHeaders,
        tls,
        tokenId,
        tokenSecret,
        scope,
        schedule,
        status,
        lastRun,
        nextDueAt,
        createdAt,
        createdBy,
        at,
        actor,
        version + 1);
  }

  /** The copy to store as the next version after system bookkeeping (author unchanged). */
  Connection nextVersionKeepingAuthor() {
    return nextVersion(updatedAt, updatedBy);
  }
}
