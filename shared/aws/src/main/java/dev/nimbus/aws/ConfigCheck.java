package dev.nimbus.aws;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;

/**
 * Reads a function's configuration at start-up and collects every problem before failing, so one
 * failed deployment names every variable that is missing or invalid instead of the first one.
 * Values are looked up by key through {@code lookup} (the Spring environment: a {@code nimbus.*}
 * property whose value names its Lambda variable, or the variable itself); each problem is reported
 * under the variable's name, which is what an operator sets in the template.
 */
public final class ConfigCheck {
  private final String function;
  private final Function<String, String> lookup;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param function the function being configured, for the error message
   * @param lookup the value of a key, or null when it is not set
   */
  public ConfigCheck(String function, Function<String, String> lookup) {
    this.function = Objects.requireNonNull(function, "function");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  /** The value of {@code key}; recorded as a problem of {@code variable} when blank. */
  public String required(String key, String variable) {
    String value = value(key);
    if (value == null) {
      problems.add(variable + " is not set");
      return "";
    }
    return value;
  }

  /** The value of {@code key}, or empty when it is not set. */
  public String optional(String key) {
    String value = value(key);
    return value == null ? "" : value;
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when it is not set. */
  public int integer(String key, String variable, int fallback, int min, int max) {
    String value = value(key);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(
        variable + " must be a whole number from " + min + " to " + max + ": '" + value + "'");
    return fallback;
  }

  /**
   * A duration from {@code min} to {@code max}, ISO-8601 ({@code PT13M}) or Spring's short form
   * ({@code 500ms}, {@code 14d}); {@code fallback} when it is not set.
   */
  public Duration duration(
      String key, String variable, Duration fallback, Duration min, Duration max) {
    String value = value(key);
    if (value == null) {
      return fallback;
    }
    Duration d = parseDuration(value);
    if (d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
      return d;
    }
    problems.add(
        variable
            + " must be a duration from "
            + min
            + " to "
            + max
            + " (ISO-8601 such as PT13M): '"
            + value
            + "'");
    return fallback;
  }

  /** {@code true} or {@code false}; {@code fallback} when it is not set. */
  public boolean bool(String key, String variable, boolean fallback) {
    String value = value(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(variable + " must be true or false: '" + value + "'");
        yield fallback;
      }
    };
  }

  /** The region ({@code AWS_REGION}, or the {@code aws.region} system property); never guessed. */
  public Region region() {
    try {
      return AwsClients.requiredRegion(lookup);
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  /** Records a problem found by the caller (a rule across values). */
  public void problem(String text) {
    problems.add(text);
  }

  /** Every problem recorded so far. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Fails when any problem was recorded, naming all of them.
   *
   * @throws IllegalStateException {@code "<function> cannot start, fix its configuration: A is not
   *     set; B must be ..."}
   */
  public void orThrow() {
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          function + " cannot start, fix its configuration: " + String.join("; ", problems));
    }
  }

  private String value(String key) {
    String value = lookup.apply(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Duration parseDuration(String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      // Spring's short form: 500ms, 3s, 10m, 2h, 14d
    }
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
