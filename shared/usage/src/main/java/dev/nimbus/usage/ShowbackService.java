package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The showback API: usage and cost by CI, compartment, tenant and tag over a range, idle capacity
 * per node, and rate cards. Every method takes what an HTTP route received (strings) and either
 * answers or throws {@link UsageValidationException} with field errors, having written nothing.
 */
public final class ShowbackService {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,127}");
  private static final int MAX_SCALE = 10;

  private final UsageRepository repository;
  private final Predicate<ConnectionRef> connectionExists;
  private final CiDirectory directory;
  private final Duration retention;
  private final Clock clock;

  public ShowbackService(
      UsageRepository repository,
      Predicate<ConnectionRef> connectionExists,
      CiDirectory directory,
      Duration retention,
      Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.connectionExists = Objects.requireNonNull(connectionExists, "connectionExists");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // --- rate cards ---

  /** Creates or replaces a connection's rate card. */
  public RateCard putRateCard(String tenantId, String connectionId, RateCardInput input) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = connection(tenantId, connectionId, errors);
    if (input == null) {
      errors.add(new FieldError("rateCard", "is required"));
      throw new UsageValidationException(errors);
    }
    String currency = input.currency();
    if (currency == null || currency.isBlank()) {
      errors.add(new FieldError("currency", "is required (an ISO 4217 code such as EUR)"));
    } else {
      try {
        Currency.getInstance(currency);
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError("currency", "is not an ISO 4217 currency code: '" + currency + "'"));
      }
    }
    RateCard.Rates base = rates("base", input.base(), true, errors);
    Map<String, String> classes = new LinkedHashMap<>();
    if (input.nodeClasses() != null) {
      for (var e : input.nodeClasses().entrySet()) {
        if (!name(e.getKey()) || !name(e.getValue())) {
          errors.add(
              new FieldError(
                  "nodeClasses." + e.getKey(),
                  "node and class must be names: '" + e.getValue() + "'"));
        } else if (input.classRates() == null || !input.classRates().containsKey(e.getValue())) {
          errors.add(
              new FieldError(
                  "nodeClasses." + e.getKey(), "class '" + e.getValue() + "' has no classRates"));
        } else {
          classes.put(e.getKey(), e.getValue());
        }
      }
    }
    Map<String, RateCard.Rates> classRates = new LinkedHashMap<>();
    if (input.classRates() != null) {
      for (var e : input.classRates().entrySet()) {
        if (!name(e.getKey())) {
          errors.add(new FieldError("classRates." + e.getKey(), "is not a valid class name"));
          continue;
        }
        classRates.put(e.getKey(), rates("classRates." + e.getKey(), e.getValue(), false, errors));
      }
    }
    if (!errors.isEmpty()) {
      throw new UsageValidationException(errors);
    }
    long version = repository.rateCard(ref).map(c -> c.version() + 1).orElse(1L);
    RateCard card =
        new RateCard(ref, currency, base, classes, classRates, clock.instant(), version);
    repository.putRateCard(card);
    return card;
  }

  public Optional<RateCard> rateCard(String tenantId, String connectionId) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = connection(tenantId, connectionId, errors);
    if (!errors.isEmpty()) {
      throw new UsageValidationException(errors);
    }
    return repository.rateCard(ref);
  }

  private static boolean name(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  private RateCard.Rates rates(
      String field, RateCardInput.RatesInput in, boolean required, List<FieldError> errors) {
    if (in == null) {
      if (required) {
        errors.add(new FieldError(field, "is required"));
      }
      return new RateCard.Rates(null, null, Map.of(), null);
    }
    BigDecimal vcpu = price(field + ".vcpuHour", in.vcpuHour(), required, errors);
    BigDecimal mem = price(field + ".memoryGibHour", in.memoryGibHour(), required, errors);
    BigDecimal net = price(field + ".networkGb", in.networkGb(), required, errors);
    Map<String, BigDecimal> storage = new TreeMap<>();
    if (in.storageGbMonth() != null) {
      for (var e : in.storageGbMonth().entrySet()) {
        String f = field + ".storageGbMonth." + e.getKey();
        if (!e.getKey().equals("*") && !name(e.getKey())) {
          errors.add(new FieldError(f, "is not a storage type"));
          continue;
        }
        BigDecimal p = price(f, e.getValue(), true, errors);
        if (p != null) {
          storage.put(e.getKey(), p);
        }
      }
    }
    return new RateCard.Rates(vcpu, mem, storage, net);
  }

  /** A price: a plain decimal string, not negative, at most 10 decimal places. */
  static BigDecimal price(String field, String text, boolean required, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      if (required) {
        errors.add(new FieldError(field, "is required"));
      }
      return null;
    }
    BigDecimal p;
    try {
      if (!text.strip().matches("[+-]?\\d{1,15}(\\.\\d+)?")) {
        throw new NumberFormatException();
      }
      p = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "is not a decimal number: '" + text + "'"));
      return null;
    }
    if (p.signum() < 0) {
      errors.add(new FieldError(field, "must not be negative: " + text));
      return null;
    }
    if (p.stripTrailingZeros().scale() > MAX_SCALE) {
      errors.add(new FieldError(field, "has more than " + MAX_SCALE + " decimal places: " + text));
      return null;
    }
    return p;
  }

  // --- queries ---

  /** One CI's usage and cost, hour by hour. */
  public ShowbackReport usageByCi(
      String tenantId, String connectionId, String nativeKey, String from, String to) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = connection(tenantId, connectionId, errors);
    if (nativeKey == null || nativeKey.isBlank() || nativeKey.length() > 512) {
      errors.add(new FieldError("nativeKey", "is required"));
    }
    Instant[] range = range(from, to, errors);
    if (!errors.isEmpty()) {
      throw new UsageValidationException(errors);
    }
    Optional<RateCard> card = repository.rateCard(ref);
    CiFacts facts = directory.facts(ref).getOrDefault(nativeKey, CiFacts.fromKey(nativeKey));
    List<ShowbackReport.Row> rows = new ArrayList<>();
    UsageTotals total = UsageTotals.ZERO;
    Cost cost = Cost.ZERO;
    for (HourlyUsage h : repository.hoursOf(ref, nativeKey, range[0], range[1])) {
      Cost c = card.map(rc -> priceCi(h.totals(), facts, rc)).orElse(Cost.ZERO);
      rows.add(new ShowbackReport.Row(h.hour(), connectionId, h.totals(), c));
      total = total.plus(h.totals());
      cost = cost.plus(c);
    }
    Cost sum = cost;
    return new ShowbackReport(
        nativeKey,
        range[0],
        range[1],
        total,
        card.map(rc -> Map.of(rc.currency(), sum.rounded(rc.currency()))).orElse(Map.of()),
        rows,
        card.isPresent() ? List.of() : List.of(connectionId));
  }

  private static Cost priceCi(UsageTotals u, CiFacts f, RateCard card) {
    if (f.kind() != CiFacts.Kind.GUEST) {
      return Cost.ZERO; // capacity, priced as idle; storage CIs hold guests' disks already priced
    }
    return Pricing.guest(u, card.ratesFor(f.node()), f.storageType());
  }

  /** A compartment (nested pools summed), day by day, over all of the tenant's connections. */
  public ShowbackReport usageByCompartment(String tenantId, String pool, String from, String to) {
    return rollupReport(tenantId, DailyRollup.Dimension.COMPARTMENT, pool, "pool", from, to);
  }

  public ShowbackReport usageByTenant(String tenantId, String from, String to) {
    return rollupReport(
        tenantId, DailyRollup.Dimension.TENANT, DailyRollup.ALL, "tenant", from, to);
  }

  public ShowbackReport usageByTag(String tenantId, String tag, String from, String to) {
    return rollupReport(tenantId, DailyRollup.Dimension.TAG, tag, "tag", from, to);
  }

  private ShowbackReport rollupReport(
      String tenantId,
      DailyRollup.Dimension dimension,
      String value,
      String field,
      String from,
      String to) {
    List<FieldError> errors = new ArrayList<>();
    if (tenantId == null || !SLUG.matcher(tenantId).matches()) {
      errors.add(new FieldError("tenantId", "is not a tenant id"));
    }
    if (value == null || !(value.equals(DailyRollup.ALL) || name(value))) {
      errors.add(new FieldError(field, "is required and must be a name"));
    }
    Instant[] range = range(from, to, errors);
    if (!errors.isEmpty()) {
      throw new UsageValidationException(errors);
    }
    LocalDate first = LocalDate.ofInstant(range[0], ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(range[1].minusSeconds(1), ZoneOffset.UTC);
    Map<String, Optional<RateCard>> cards = new HashMap<>();
    Map<String, Cost> costs = new TreeMap<>();
    List<String> unpriced = new ArrayList<>();
    List<ShowbackReport.Row> rows = new ArrayList<>();
    UsageTotals total = UsageTotals.ZERO;
    for (DailyRollup r : repository.rollups(tenantId, dimension, value, first, last)) {
      Optional<RateCard> card =
          cards.computeIfAbsent(
              r.connectionId(), c -> repository.rateCard(new ConnectionRef(tenantId, c)));
      Cost c =
          card.map(
                  rc ->
                      Pricing.guest(
                          r.totals(),
                          rc.ratesFor(r.node().equals(DailyRollup.NONE) ? null : r.node()),
                          r.storageType().equals(DailyRollup.NONE) ? null : r.storageType()))
              .orElse(Cost.ZERO);
      card.ifPresentOrElse(
          rc -> costs.merge(rc.currency(), c, Cost::plus),
          () -> {
            if (!unpriced.contains(r.connectionId())) {
              unpriced.add(r.connectionId());
            }
          });
      rows.add(
          new ShowbackReport.Row(
              r.day().atStartOfDay(ZoneOffset.UTC).toInstant(), r.connectionId(), r.totals(), c));
      total = total.plus(r.totals());
    }
    Map<String, Cost> rounded = new TreeMap<>();
    costs.forEach((cur, c) -> rounded.put(cur, c.rounded(cur)));
    return new ShowbackReport(
        dimension.name().toLowerCase(java.util.Locale.ROOT) + "/" + value,
        range[0],
        range[1],
        total,
        rounded,
        rows,
        unpriced);
  }

  /** Idle capacity of one node of a connection over a range, priced at the node's rates. */
  public record IdleReport(
      String node,
      double capacityVcpuHours,
      double allocatedVcpuHours,
      double capacityGibHours,
      double allocatedGibHours,
      Cost cost,
      String currency) {}

  public List<IdleReport> idle(String tenantId, String connectionId, String from, String to) {
    List<FieldError> errors = new ArrayList<>();
    ConnectionRef ref = connection(tenantId, connectionId, errors);
    Instant[] range = range(from, to, errors);
    if (!errors.isEmpty()) {
      throw new UsageValidationException(errors);
    }
    Optional<RateCard> card = repository.rateCard(ref);
    Map<String, CiFacts> facts = directory.facts(ref);
    List<HourlyUsage> hours = repository.hoursOfConnection(ref, range[0], range[1]);
    return idleOf(hours, facts, card.orElse(null));
  }

  /** Idle capacity per node: its capacity minus its guests' allocations, hour by hour. */
  static List<IdleReport> idleOf(
      List<HourlyUsage> hours, Map<String, CiFacts> facts, RateCard card) {
    Map<String, double[]> perNode = new TreeMap<>(); // cap vcpu, alloc vcpu, cap gib, alloc gib
    Map<String, Map<Instant, double[]>> hourly = new HashMap<>();
    for (HourlyUsage h : hours) {
      CiFacts f = facts.getOrDefault(h.nativeKey(), CiFacts.fromKey(h.nativeKey()));
      if (f.node() == null || (f.kind() != CiFacts.Kind.NODE && f.kind() != CiFacts.Kind.GUEST)) {
        continue;
      }
      double[] v =
          hourly
              .computeIfAbsent(f.node(), n -> new TreeMap<>())
              .computeIfAbsent(h.hour(), t -> new double[4]);
      int offset = f.kind() == CiFacts.Kind.NODE ? 0 : 1;
      v[offset] += h.totals().vcpuHoursAllocated();
      v[offset + 2] += h.totals().memoryGibHoursAllocated();
    }
    List<IdleReport> out = new ArrayList<>();
    for (var node : hourly.entrySet()) {
      double[] sum = new double[4];
      Cost cost = Cost.ZERO;
      RateCard.Rates rates = card == null ? null : card.ratesFor(node.getKey());
      for (double[] v : node.getValue().values()) {
        for (int i = 0; i < 4; i++) {
          sum[i] += v[i];
        }
        if (rates != null) {
          // Per hour, so an over-committed hour does not hide idle capacity in another.
          cost = cost.plus(Pricing.idle(v[0] - v[1], v[2] - v[3], rates));
        }
      }
      perNode.put(node.getKey(), sum);
      out.add(
          new IdleReport(
              node.getKey(),
              sum[0],
              sum[1],
              sum[2],
              sum[3],
              card == null ? Cost.ZERO : cost.rounded(card.currency()),
              card == null ? null : card.currency()));
    }
    return out;
  }

  // --- input checks ---

  private ConnectionRef connection(String tenantId, String connectionId, List<FieldError> errors) {
    if (tenantId == null || !SLUG.matcher(tenantId).matches()) {
      errors.add(new FieldError("tenantId", "is not a tenant id"));
      return null;
    }
    if (connectionId == null || !SLUG.matcher(connectionId).matches()) {
      errors.add(new FieldError("connectionId", "is not a connection id"));
      return null;
    }
    ConnectionRef ref = new ConnectionRef(tenantId, connectionId);
    if (!connectionExists.test(ref)) {
      errors.add(new FieldError("connectionId", "no such connection: " + connectionId));
    }
    return ref;
  }

  /** {@code [from, to)}: ISO-8601 instants, not in the future, no longer than the retention. */
  Instant[] range(String from, String to, List<FieldError> errors) {
    Instant now = clock.instant();
    Instant f = instant("from", from, errors);
    Instant t = instant("to", to, errors);
    if (f == null || t == null) {
      return new Instant[] {f, t};
    }
    if (!t.isAfter(f)) {
      errors.add(new FieldError("to", "must be after from"));
    }
    if (f.isAfter(now)) {
      errors.add(new FieldError("from", "is in the future"));
    }
    if (t.isAfter(now.plus(Duration.ofHours(1)))) {
      errors.add(new FieldError("to", "is in the future (at most the end of the current hour)"));
    }
    if (Duration.between(f, t).compareTo(retention) > 0) {
      errors.add(
          new FieldError(
              "to", "the range is longer than the retention of " + retention.toDays() + " days"));
    } else if (f.isBefore(now.minus(retention))) {
      errors.add(
          new FieldError(
              "from",
              "is before the retention of " + retention.toDays() + " days: nothing is kept"));
    }
    return new Instant[] {f, t};
  }

  private static Instant instant(String field, String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(
          new FieldError(field, "is required (an ISO-8601 instant such as 2026-03-01T00:00:00Z)"));
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "is not an ISO-8601 instant: '" + text + "'"));
      return null;
    }
  }
}
