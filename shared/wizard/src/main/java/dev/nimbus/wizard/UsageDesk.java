package dev.nimbus.wizard;

import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.usage.RateCard;
import dev.nimbus.usage.RateCardInput;
import dev.nimbus.usage.SampleRange;
import dev.nimbus.usage.ShowbackReport;
import dev.nimbus.usage.ShowbackService;
import dev.nimbus.usage.UsageValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the usage and cost routes call: shared/usage's {@link ShowbackService} for reports and rate
 * cards, and "sample now" handed to the usage function. A connection the caller's tenant does not
 * have is not found (404) before anything else is looked at; the service's field errors become the
 * API's.
 */
public final class UsageDesk {
  private final Predicate<ConnectionRef> connectionExists;
  private final ShowbackService showback;
  private final FunctionHandoff usageFunction;
  private final Function<ConnectionRef, Optional<Instant>> sampleRunningUntil;
  private final Duration retention;
  private final Clock clock;

  /**
   * @param sampleRunningUntil the end of a running sample's lease on a connection, if any (shared
   *     usage {@code UsageSampleLeases.runningUntil}): the usage function would refuse a second one
   */
  public UsageDesk(
      Predicate<ConnectionRef> connectionExists,
      ShowbackService showback,
      FunctionHandoff usageFunction,
      Function<ConnectionRef, Optional<Instant>> sampleRunningUntil,
      Duration retention,
      Clock clock) {
    this.connectionExists = connectionExists;
    this.showback = showback;
    this.usageFunction = usageFunction;
    this.sampleRunningUntil = sampleRunningUntil;
    this.retention = retention;
    this.clock = clock;
  }

  public ShowbackReport ci(ConnectionRef ref, String nativeKey, String from, String to) {
    known(ref);
    return call(() -> showback.usageByCi(ref.tenantId(), ref.connectionId(), nativeKey, from, to));
  }

  public ShowbackReport compartment(String tenantId, String pool, String from, String to) {
    return call(() -> showback.usageByCompartment(tenantId, pool, from, to));
  }

  public ShowbackReport tenant(String tenantId, String from, String to) {
    return call(() -> showback.usageByTenant(tenantId, from, to));
  }

  public ShowbackReport tag(String tenantId, String tag, String from, String to) {
    return call(() -> showback.usageByTag(tenantId, tag, from, to));
  }

  public List<ShowbackService.IdleReport> idle(ConnectionRef ref, String from, String to) {
    known(ref);
    return call(() -> showback.idle(ref.tenantId(), ref.connectionId(), from, to));
  }

  public Optional<RateCard> rateCard(ConnectionRef ref) {
    known(ref);
    return call(() -> showback.rateCard(ref.tenantId(), ref.connectionId()));
  }

  /** The stored card and whether it is new. */
  public record Saved(RateCard card, boolean created) {}

  public Saved putRateCard(ConnectionRef ref, RateCardInput input) {
    known(ref);
    boolean existed = call(() -> showback.rateCard(ref.tenantId(), ref.connectionId())).isPresent();
    RateCard card = call(() -> showback.putRateCard(ref.tenantId(), ref.connectionId(), input));
    return new Saved(card, !existed);
  }

  /**
   * Hands a sample of {@code ref} to the usage function: from its cursor to now, or {@code [from,
   * to)} as a backfill. The range is checked here with the function's own rules, so a refusal is
   * this answer and not a failed asynchronous invocation nobody sees.
   */
  public Map<String, Object> sampleNow(ConnectionRef ref, String from, String to) {
    known(ref);
    List<dev.nimbus.usage.FieldError> errors = new ArrayList<>();
    SampleRange.check(from, to, clock.instant(), retention, errors);
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    // The usage function takes one sample of a connection at a time; handing it a second would
    // answer 202 here and be refused where nobody sees it.
    Optional<Instant> running = sampleRunningUntil.apply(ref);
    if (running.isPresent()) {
      throw new WizardException(
          WizardException.Kind.CONFLICT,
          "a usage sample of this connection is running; it ends by "
              + running.get()
              + ": sample again then",
          List.of());
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenantId", ref.tenantId());
    payload.put("connectionId", ref.connectionId());
    if (from != null) {
      payload.put("from", from);
      payload.put("to", to);
    }
    usageFunction.hand(payload);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queued", true);
    out.put("connectionId", ref.connectionId());
    out.put("from", from);
    out.put("to", to);
    return out;
  }

  private void known(ConnectionRef ref) {
    if (!connectionExists.test(ref)) {
      throw new ConnectionNotFoundException(ref);
    }
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (UsageValidationException e) {
      throw invalid(e.errors());
    }
  }

  private static WizardException invalid(List<dev.nimbus.usage.FieldError> errors) {
    return new WizardException(
        WizardException.Kind.VALIDATION,
        "the request is not valid",
        errors.stream().map(e -> new FieldError(e.field(), e.message())).toList());
  }
}
