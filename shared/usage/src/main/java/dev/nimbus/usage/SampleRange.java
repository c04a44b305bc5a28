package dev.nimbus.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The rules of an on-demand sample's range, shared by the usage function and the wizard's "sample
 * now" route (which refuses a request before handing it on, so a refusal is an answer and not a
 * silent failure of an asynchronous invocation): {@code from} and {@code to} go together, both
 * ISO-8601 instants, {@code to} after {@code from}, {@code from} not in the future, {@code to} at
 * most a minute ahead, {@code from} within the retention.
 */
public final class SampleRange {
  private SampleRange() {}

  /** Adds field errors for a bad range; both null is fine (from the cursor to now). */
  public static void check(
      String from, String to, Instant now, Duration retention, List<FieldError> errors) {
    if ((from == null) != (to == null)) {
      errors.add(new FieldError(from == null ? "from" : "to", "from and to go together"));
      return;
    }
    if (from == null) {
      return;
    }
    Instant f = instant("from", from, errors);
    Instant t = instant("to", to, errors);
    if (f == null || t == null) {
      return;
    }
    if (!t.isAfter(f)) {
      errors.add(new FieldError("to", "must be after from"));
    } else if (f.isAfter(now)) {
      errors.add(new FieldError("from", "is in the future"));
    } else if (t.isAfter(now.plusSeconds(60))) {
      errors.add(new FieldError("to", "is in the future"));
    } else if (f.isBefore(now.minus(retention))) {
      errors.add(
          new FieldError(
              "from", "is older than the usage retention of " + retention.toDays() + " days"));
    }
  }

  private static Instant instant(String field, String text, List<FieldError> errors) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "is not an ISO-8601 instant: '" + text + "'"));
      return null;
    }
  }
}
