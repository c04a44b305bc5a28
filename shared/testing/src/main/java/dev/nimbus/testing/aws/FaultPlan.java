package dev.nimbus.testing.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which requests {@link FaultInjectingProxy} breaks, decided deterministically from a seed, the
 * request's operation (for example {@code DynamoDB_20120810.TransactWriteItems}) and its index
 * among the requests of that operation since the plan was set: the same seed over the same request
 * sequence breaks the same requests, whatever the timing.
 *
 * <p>Rules are tried in order; the first whose operations match and whose draw falls under its rate
 * decides. A scripted rule names exact indexes instead of a rate.
 */
public final class FaultPlan {
  private static final FaultPlan NONE = new FaultPlan(0, List.of());

  private final long seed;
  private final List<Rule> rules;

  private FaultPlan(long seed, List<Rule> rules) {
    this.seed = seed;
    this.rules = List.copyOf(rules);
  }

  /** One rule: a fault for matching operations, at a rate or at listed indexes. */
  private record Rule(
      FaultKind kind, Predicate<String> operations, double rate, Map<Long, Boolean> indexes) {}

  /** Breaks nothing. */
  public static FaultPlan none() {
    return NONE;
  }

  /** A plan with no rules yet, drawing from {@code seed}. */
  public static FaultPlan seeded(long seed) {
    return new FaultPlan(seed, List.of());
  }

  /** A new plan that also injects {@code kind} into a share {@code rate} of matching requests. */
  public FaultPlan inject(FaultKind kind, double rate, Predicate<String> operations) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be between 0 and 1: " + rate);
    }
    List<Rule> next = new ArrayList<>(rules);
    next.add(new Rule(Objects.requireNonNull(kind), operations, rate, Map.of()));
    return new FaultPlan(seed, next);
  }

  /**
   * A new plan that also injects {@code kind} into the requests of {@code operation} (exact name)
   * with the given 0-based indexes.
   */
  public FaultPlan injectAt(FaultKind kind, String operation, long... indexes) {
    java.util.HashMap<Long, Boolean> at = new java.util.HashMap<>();
    for (long i : indexes) {
      at.put(i, true);
    }
    List<Rule> next = new ArrayList<>(rules);
    next.add(new Rule(Objects.requireNonNull(kind), operation::equals, 0, Map.copyOf(at)));
    return new FaultPlan(seed, next);
  }

  /** Operations of one service, by the prefix of their {@code X-Amz-Target}. */
  public static Predicate<String> service(String targetPrefix) {
    return op -> op.startsWith(targetPrefix + ".");
  }

  /** Every operation. */
  public static Predicate<String> any() {
    return op -> true;
  }

  /** The fault for the {@code index}-th request (0-based) of {@code operation}, if any. */
  public Optional<FaultKind> decide(String operation, long index) {
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      if (!rule.operations().test(operation)) {
        continue;
      }
      if (rule.indexes().isEmpty()) {
        if (draw(operation, index, r) < rule.rate()) {
          return Optional.of(rule.kind());
        }
      } else if (rule.indexes().containsKey(index)) {
        return Optional.of(rule.kind());
      }
    }
    return Optional.empty();
  }

  /** A uniform number in [0, 1) from the seed, the operation, the index and the rule. */
  private double draw(String operation, long index, int rule) {
    long h = mix(seed ^ mix(operation.hashCode() * 0x9E3779B97F4A7C15L) ^ mix(index + 1) ^ rule);
    return (h >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "FaultPlan[seed=" + seed + ", rules=" + rules.size() + "]";
  }
}
