package dev.nimbus.connections;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The connections API other modules call: create, read, update and delete a tenant's connections
 * with validation, encryption and an audit trail; replace a token's secret; resolve a connection
 * with its secrets decrypted for one use; record discovery runs; and re-encrypt every connection
 * under a new KMS key.
 *
 * <p>Secrets handed in ({@link ConnectionDraft}, {@link #replaceTokenSecret}) are destroyed once
 * encrypted. A connection's id never changes, so its CIs and history (keyed by connection) stay
 * when its token is replaced or its key rotated.
 */
public final class ConnectionService {
  private static final System.Logger LOG = System.getLogger(ConnectionService.class.getName());
  static final int MAX_ATTEMPTS = 5;

  private final ConnectionRepository repository;
  private final ConnectionDirectory directory;
  private final TokenCipher cipher;
  private final Clock clock;
  private final ConnectionValidator validator = new ConnectionValidator();

  public ConnectionService(
      ConnectionRepository repository,
      ConnectionDirectory directory,
      TokenCipher cipher,
      Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The service wired to the table and key of {@code config}, with clients from {@code aws}. */
  public static ConnectionService create(AwsClients aws, ConnectionsConfig config, Clock clock) {
    var dynamo = aws.dynamoDb();
    return new ConnectionService(
        new ConnectionRepository(dynamo, config.tableName()),
        new ConnectionDirectory(dynamo, config.tableName()),
        new KmsEnvelopeTokenCipher(aws.kms(), config.tokenKeyId()),
        clock);
  }

  /**
   * Validates, encrypts and stores a new connection (status PENDING, due for discovery now).
   *
   * @throws ValidationException listing every invalid field
   * @throws ConnectionAlreadyExistsException if the tenant already has this id
   */
  public Connection create(String tenantId, ConnectionDraft draft, String actor) {
    ConnectionRepository.requireTenant(tenantId);
    requireActor(actor);
    try {
      validator.validate(draft);
      ConnectionRef ref = new ConnectionRef(tenantId, draft.connectionId());
      Instant now = clock.instant();
      ConnectionSettings s = draft.settings();
      EncryptedSecret token = cipher.encrypt(draft.tokenSecret(), SecretContext.tokenSecret(ref));
      SortedMap<String, EncryptedSecret> headers = encryptHeaders(ref, draft.secretHeaders());
      Connection connection =
          new Connection(
              ref,
              s.name(),
              s.endpoint(),
              s.proxy(),
              headers,
              s.tls(),
              s.tokenId(),
              token,
              s.scope(),
              Schedule.parse(s.schedule()),
              ConnectionStatus.PENDING,
              Optional.empty(),
              Optional.of(now),
              now,
              actor,
              now,
              actor,
              1);
      List<String> fields = new ArrayList<>(SETTINGS_FIELDS);
      fields.add("tokenSecret");
      headers.keySet().forEach(h -> fields.add(headerField(h)));
      repository.create(
          connection, new AuditEntry(ref, now, actor, AuditAction.CREATED, fields, 1));
      LOG.log(Level.INFO, "connection {0} created by {1}", ref, actor);
      return connection;
    } finally {
      destroy(draft.tokenSecret());
      draft.secretHeaders().values().forEach(ConnectionService::destroy);
    }
  }

  /** The connection, if this tenant has it. */
  public Optional<Connection> find(ConnectionRef ref) {
    return repository.find(ref);
  }

  /** The tenant's connections. */
  public List<Connection> list(String tenantId) {
    return repository.list(tenantId);
  }

  /**
   * Changes the non-secret settings. Writes nothing (and returns the connection as is) when nothing
   * changed.
   *
   * @throws VersionConflictException if the connection is no longer at {@code expectedVersion}
   */
  public Connection update(
      ConnectionRef ref, long expectedVersion, ConnectionSettings settings, String actor) {
    requireActor(actor);
    validator.validate(settings);
    Connection current = load(ref, expectedVersion);
    List<String> changed = changedFields(current.settings(), settings);
    if (changed.isEmpty()) {
      return current;
    }
    Instant now = clock.instant();
    Connection updated = current.withSettings(settings);
    if (changed.contains("schedule") && current.status() != ConnectionStatus.DISABLED) {
      Instant from = current.lastRun().map(RunSummary::startedAt).orElse(now);
      updated =
          updated.withDiscoveryState(
              current.status(), current.lastRun(), updated.schedule().nextAfter(from));
    }
    return write(updated, expectedVersion, now, actor, AuditAction.UPDATED, changed);
  }

  /**
   * Replaces the API token (its id may change too) and destroys {@code secret} once encrypted. The
   * connection keeps its id, so its CIs and history stay.
   */
  public Connection replaceTokenSecret(
      ConnectionRef ref, long expectedVersion, String tokenId, Secret secret, String actor) {
    try {
      requireActor(actor);
      validator.validateToken(tokenId, secret);
      Connection current = load(ref, expectedVersion);
      EncryptedSecret token = cipher.encrypt(secret, SecretContext.tokenSecret(ref));
      List<String> changed = new ArrayList<>();
      if (!tokenId.equals(current.tokenId())) {
        changed.add("tokenId");
      }
      changed.add("tokenSecret");
      return write(
          current.withSecrets(tokenId, token, current.secretHeaders()),
          expectedVersion,
          clock.instant(),
          actor,
          AuditAction.TOKEN_REPLACED,
          changed);
    } finally {
      destroy(secret);
    }
  }

  /** Replaces all secret tunnel headers (an empty map removes them) and destroys the values. */
  public Connection replaceSecretHeaders(
      ConnectionRef ref, long expectedVersion, Map<String, Secret> headers, String actor) {
    try {
      requireActor(actor);
      validator.validateHeaders(headers);
      Connection current = load(ref, expectedVersion);
      SortedMap<String, EncryptedSecret> encrypted = encryptHeaders(ref, headers);
      TreeSet<String> names = new TreeSet<>(current.secretHeaders().keySet());
      names.addAll(encrypted.keySet());
      return write(
          current.withSecrets(current.tokenId(), current.tokenSecret(), encrypted),
          expectedVersion,
          clock.instant(),
          actor,
          AuditAction.UPDATED,
          names.stream().map(ConnectionService::headerField).toList());
    } finally {
      headers.values().forEach(ConnectionService::destroy);
    }
  }

  /** Disables (never scheduled) or re-enables (PENDING, due now) a connection. */
  public Connection setEnabled(
      ConnectionRef ref, long expectedVersion, boolean enabled, String actor) {
    requireActor(actor);
    Connection current = load(ref, expectedVersion);
    boolean disabled = current.status() == ConnectionStatus.DISABLED;
    if (enabled != disabled) {
      return current;
    }
    Instant now = clock.instant();
    Connection updated =
        enabled
            ? current.withDiscoveryState(
                ConnectionStatus.PENDING, current.lastRun(), Optional.of(now))
            : current.withDiscoveryState(
                ConnectionStatus.DISABLED, current.lastRun(), Optional.empty());
    return write(updated, expectedVersion, now, actor, AuditAction.UPDATED, List.of("status"));
  }

  /** Deletes the connection; its audit trail stays. */
  public void delete(ConnectionRef ref, long expectedVersion, String actor) {
    requireActor(actor);
    Instant now = clock.instant();
    repository.delete(
        ref,
        expectedVersion,
        new AuditEntry(ref, now, actor, AuditAction.DELETED, List.of(), expectedVersion + 1));
    LOG.log(Level.INFO, "connection {0} deleted by {1}", ref, actor);
  }

  /** Who created, changed, rotated or deleted the connection, and when; oldest first. */
  public List<AuditEntry> auditTrail(ConnectionRef ref) {
    return repository.auditTrail(ref);
  }

  /**
   * The connection with its secrets decrypted, for one use: close it when done.
   *
   * @throws ConnectionNotFoundException if this tenant has no such connection
   * @throws SecretDecryptionException if a stored secret does not decrypt for this connection
   */
  public ResolvedConnection resolve(ConnectionRef ref) {
    Connection c = repository.find(ref).orElseThrow(() -> new ConnectionNotFoundException(ref));
    Secret token = cipher.decrypt(c.tokenSecret(), SecretContext.tokenSecret(ref));
    Map<String, Secret> headers = new TreeMap<>();
    try {
      c.secretHeaders()
          .forEach(
              (name, enc) ->
                  headers.put(name, cipher.decrypt(enc, SecretContext.header(ref, name))));
    } catch (RuntimeException e) {
      token.destroy();
      headers.values().forEach(Secret::destroy);
      throw e;
    }
    LOG.log(Level.DEBUG, "resolved connection {0}", ref);
    return new ResolvedConnection(
        ref, c.endpoint(), c.proxy(), c.tls(), c.tokenId(), token, headers, c.scope());
  }

  /**
   * Records a discovery run: status ACTIVE or FAILING (a DISABLED connection stays so) and the next
   * due time from the schedule. Bumps the version (a user's stale edit then conflicts instead of
   * overwriting the run) but is not audited; retried if a user edits concurrently.
   */
  public Connection recordRun(ConnectionRef ref, RunSummary run) {
    for (int attempt = 1; ; attempt++) {
      Connection current =
          repository.find(ref).orElseThrow(() -> new ConnectionNotFoundException(ref));
      boolean disabled = current.status() == ConnectionStatus.DISABLED;
      ConnectionStatus status =
          disabled
              ? ConnectionStatus.DISABLED
              : run.succeeded() ? ConnectionStatus.ACTIVE : ConnectionStatus.FAILING;
      Optional<Instant> next =
          disabled ? Optional.empty() : current.schedule().nextAfter(run.startedAt());
      Connection updated =
          current.withDiscoveryState(status, Optional.of(run), next).nextVersionKeepingAuthor();
      try {
        repository.update(updated, current.version(), Optional.empty());
        return updated;
      } catch (VersionConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Claims a due connection for one discovery run: moves its next due time to the schedule's next
   * slot after {@code now}, so a run that takes longer than the schedule is not queued twice. Empty
   * when the connection is not due (any more): another scheduler tick claimed it first, or it was
   * disabled or deleted meanwhile. Reads the connection first; the scheduler, which already has
   * what the claim needs from the schedule index, uses {@link #claimDue(DueConnection, Instant)}.
   */
  public Optional<Connection> claimDue(ConnectionRef ref, Instant now) {
    Optional<Connection> found = repository.find(ref);
    if (found.isEmpty()
        || found.get().status() == ConnectionStatus.DISABLED
        || found.get().nextDueAt().isEmpty()
        || found.get().nextDueAt().get().isAfter(now)) {
      return Optional.empty();
    }
    Connection c = found.get();
    return claimDue(new DueConnection(ref, c.nextDueAt().get(), c.schedule().expression()), now);
  }

  /**
   * Claims a connection the schedule index listed as due, with exactly one conditional UpdateItem
   * and no read: a tick over N due connections costs N writes besides its query. Empty when the
   * connection is no longer due at {@code due.dueAt()} on {@code due.schedule()} (another tick
   * claimed it, it was disabled, deleted or rescheduled meanwhile): a conflict is not retried,
   * since whatever moved it also decided its next due time.
   */
  public Optional<Connection> claimDue(DueConnection due, Instant now) {
    if (due.dueAt().isAfter(now)) {
      return Optional.empty();
    }
    Optional<Instant> next = Schedule.parse(due.schedule()).nextAfter(now);
    return repository.moveDue(due.ref(), due.dueAt(), due.schedule(), next);
  }

  /**
   * Undoes a claim whose discovery message could not be queued: puts the due time back to what it
   * was, so the next tick finds the connection due again instead of one schedule interval later.
   * Conditional on the claim still being in place; returns whether the due time was put back (not
   * when the connection changed meanwhile, or its schedule ended with this claim and it left the
   * index, in which case nothing was due to be lost).
   */
  public boolean releaseClaim(DueConnection due, Connection claimed) {
    if (!claimed.ref().equals(due.ref()) || claimed.nextDueAt().isEmpty()) {
      return false;
    }
    return repository
        .moveDue(due.ref(), claimed.nextDueAt().get(), due.schedule(), Optional.of(due.dueAt()))
        .isPresent();
  }

  /**
   * Re-encrypts every connection of every tenant under {@code newKeyId} (id, ARN or alias), one
   * conditional write per connection, without downtime: each item always holds complete ciphertexts
   * under either the old or the new key, and readers decrypt with the key stored in the item. A
   * connection edited meanwhile is re-read and retried, so neither change is lost. Connections
   * already under the new key are skipped, so an interrupted run can simply be repeated. Point
   * {@code TOKEN_KEY_ID} (or the alias) at the new key first, so new secrets are not written under
   * the old one meanwhile.
   */
  public RotationReport rotateAll(String newKeyId, String actor) {
    requireActor(actor);
    Objects.requireNonNull(newKeyId, "newKeyId");
    int rotated = 0;
    int current = 0;
    List<ConnectionRef> failed = new ArrayList<>();
    for (ConnectionRef ref : directory.allConnections()) {
      try {
        switch (rotate(ref, newKeyId, actor)) {
          case ROTATED -> rotated++;
          case ALREADY_CURRENT -> current++;
          case GONE -> {}
        }
      } catch (ConnectionException e) {
        failed.add(ref);
        LOG.log(Level.WARNING, "could not rotate connection {0}: {1}", ref, e.getMessage());
      }
    }
    LOG.log(
        Level.INFO,
        "key rotation to {0} by {1}: {2} rotated, {3} already current, {4} failed",
        newKeyId,
        actor,
        rotated,
        current,
        failed.size());
    return new RotationReport(rotated, current, failed);
  }

  private enum RotationOutcome {
    ROTATED,
    ALREADY_CURRENT,
    GONE
  }

  private RotationOutcome rotate(ConnectionRef ref, String newKeyId, String actor) {
    for (int attempt = 1; ; attempt++) {
      Optional<Connection> found = repository.find(ref);
      if (found.isEmpty()) {
        return RotationOutcome.GONE;
      }
      Connection c = found.get();
      List<String> fields = new ArrayList<>();
      EncryptedSecret token = c.tokenSecret();
      if (!cipher.isEncryptedUnder(token, newKeyId)) {
        token = cipher.reEncrypt(token, SecretContext.tokenSecret(ref), newKeyId);
        fields.add("tokenSecret");
      }
      SortedMap<String, EncryptedSecret> headers = new TreeMap<>();
      for (var h : c.secretHeaders().entrySet()) {
        EncryptedSecret enc = h.getValue();
        if (!cipher.isEncryptedUnder(enc, newKeyId)) {
          enc = cipher.reEncrypt(enc, SecretContext.header(ref, h.getKey()), newKeyId);
          fields.add(headerField(h.getKey()));
        }
        headers.put(h.getKey(), enc);
      }
      if (fields.isEmpty()) {
        return RotationOutcome.ALREADY_CURRENT;
      }
      try {
        write(
            c.withSecrets(c.tokenId(), token, headers),
            c.version(),
            clock.instant(),
            actor,
            AuditAction.ROTATED,
            fields);
        return RotationOutcome.ROTATED;
      } catch (VersionConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        LOG.log(Level.INFO, "connection {0} changed during rotation; retrying", ref);
      } catch (ConnectionNotFoundException e) {
        return RotationOutcome.GONE;
      }
    }
  }

  private Connection write(
      Connection changed,
      long expectedVersion,
      Instant now,
      String actor,
      AuditAction action,
      List<String> fields) {
    Connection updated = changed.nextVersion(now, actor);
    repository.update(
        updated,
        expectedVersion,
        Optional.of(new AuditEntry(updated.ref(), now, actor, action, fields, updated.version())));
    LOG.log(
        Level.INFO,
        "connection {0} {1} by {2}: {3}",
        updated.ref(),
        action,
        actor,
        String.join(", ", fields));
    return updated;
  }

  private Connection load(ConnectionRef ref, long expectedVersion) {
    Connection current =
        repository.find(ref).orElseThrow(() -> new ConnectionNotFoundException(ref));
    if (current.version() != expectedVersion) {
      throw new VersionConflictException(ref, expectedVersion);
    }
    return current;
  }

  private SortedMap<String, EncryptedSecret> encryptHeaders(
      ConnectionRef ref, Map<String, Secret> headers) {
    SortedMap<String, EncryptedSecret> encrypted = new TreeMap<>();
    headers.forEach(
        (name, value) ->
            encrypted.put(name, cipher.encrypt(value, SecretContext.header(ref, name))));
    return encrypted;
  }

  private static final List<String> SETTINGS_FIELDS =
      List.of("name", "endpoint", "proxy", "tls", "tokenId", "scope", "schedule");

  static List<String> changedFields(ConnectionSettings before, ConnectionSettings after) {
    List<String> changed = new ArrayList<>();
    addIf(changed, "name", before.name(), after.name());
    addIf(changed, "endpoint", before.endpoint(), after.endpoint());
    addIf(changed, "proxy", before.proxy(), after.proxy());
    addIf(changed, "tls", before.tls(), after.tls());
    addIf(changed, "tokenId", before.tokenId(), after.tokenId());
    addIf(changed, "scope", before.scope(), after.scope());
    addIf(changed, "schedule", before.schedule(), after.schedule());
    return changed;
  }

  private static void addIf(List<String> changed, String field, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      changed.add(field);
    }
  }

  private static String headerField(String name) {
    return "secretHeaders[" + name + "]";
  }

  private static void requireActor(String actor) {
    if (actor == null
        || actor.isBlank()
        || actor.length() > 200
        || actor.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "an actor (who makes the change, up to 200 characters) is required");
    }
  }

  private static void destroy(Secret secret) {
    if (secret != null) {
      secret.destroy();
    }
  }
}
