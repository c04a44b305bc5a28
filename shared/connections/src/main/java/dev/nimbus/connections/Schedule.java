package dev.nimbus.connections;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a connection is discovered, as an EventBridge schedule expression: {@code rate(15
 * minutes)} or {@code cron(0/15 * * * ? *)} (six fields, UTC). Runs must be at least {@link
 * #MINIMUM_INTERVAL} apart. Of the cron syntax, {@code L}, {@code W} and {@code #} are not
 * supported; everything else ({@code * ? , - /}, month and day names) is.
 */
public record Schedule(String expression) {
  /** Discovery more often than this costs more than it tells. */
  public static final Duration MINIMUM_INTERVAL = Duration.ofMinutes(5);

  private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) ([a-z]+)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final int SEARCH_DAYS = 366 * 5;
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /**
   * Checks the expression.
   *
   * @throws IllegalArgumentException with a message a user can act on
   */
  public Schedule {
    parsed(expression);
  }

  /** Same as the constructor; reads better at call sites. */
  public static Schedule parse(String expression) {
    return new Schedule(expression);
  }

  /** A rate's interval, or a cron's fields (parsed again on use: cheap, and keeps this a value). */
  private static Object parsed(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException(
          "is required: give a rate such as 'rate(15 minutes)' or a cron such as"
              + " 'cron(0/15 * * * ? *)'");
    }
    Matcher rate = RATE.matcher(expression);
    if (rate.matches()) {
      return parseRate(expression, rate);
    }
    Matcher cron = CRON.matcher(expression);
    if (cron.matches()) {
      return Cron.parse(expression, cron.group(1));
    }
    throw new IllegalArgumentException(
        "'"
            + expression
            + "' is not a schedule expression: use 'rate(<n> minutes|hours|days)' or"
            + " 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)'");
  }

  private static Duration parseRate(String expression, Matcher m) {
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (value <= 0) {
      throw new IllegalArgumentException("'" + expression + "': the rate must be positive");
    }
    String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    ChronoUnit chrono =
        switch (singular) {
          case "minute" -> ChronoUnit.MINUTES;
          case "hour" -> ChronoUnit.HOURS;
          case "day" -> ChronoUnit.DAYS;
          default ->
              throw new IllegalArgumentException(
                  "'" + expression + "': the unit must be minutes, hours or days");
        };
    // EventBridge insists on 'rate(1 hour)' but 'rate(2 hours)'.
    boolean plural = unit.endsWith("s");
    if (plural != (value != 1)) {
      throw new IllegalArgumentException(
          "'"
              + expression
              + "': write '"
              + singular
              + "' for a value of 1 and '"
              + singular
              + "s' otherwise, as EventBridge does");
    }
    Duration interval = chrono.getDuration().multipliedBy(value);
    requireMinimum(expression, interval);
    return interval;
  }

  private static void requireMinimum(String expression, Duration interval) {
    if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "'"
              + expression
              + "' runs every "
              + interval.toMinutes()
              + " minute(s); the minimum is "
              + MINIMUM_INTERVAL.toMinutes()
              + " minutes");
    }
  }

  /**
   * The first run strictly after {@code after}: {@code after + rate} for a rate, the next matching
   * minute for a cron; empty for a cron whose years are all past.
   */
  public Optional<Instant> nextAfter(Instant after) {
    return switch (parsed(expression)) {
      case Duration rate -> Optional.of(after.plus(rate));
      case Cron cron -> cron.nextAfter(after);
      default -> throw new IllegalStateException("unreachable");
    };
  }

  @Override
  public String toString() {
    return expression;
  }

  /** The six fields of an EventBridge cron, each as the set of values it matches. */
  private record Cron(
      BitSet minutes,
      BitSet hours,
      BitSet daysOfMonth,
      BitSet months,
      BitSet daysOfWeek,
      BitSet years,
      boolean anyDayOfMonth,
      boolean anyDayOfWeek) {

    static Cron parse(String expression, String body) {
      String[] f = body.trim().split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            "'"
                + expression
                + "' has "
                + f.length
                + " field(s); an EventBridge cron has 6: minutes hours day-of-month month"
                + " day-of-week year");
      }
      for (String field : f) {
        if (field.matches(".*[LW#].*")) {
          throw new IllegalArgumentException(
              "'" + expression + "': L, W and # are not supported; list the days explicitly");
        }
      }
      boolean domAny = f[2].equals("?");
      boolean dowAny = f[4].equals("?");
      if (domAny == dowAny) {
        throw new IllegalArgumentException(
            "'"
                + expression
                + "': exactly one of day-of-month and day-of-week must be '?' (EventBridge rule)");
      }
      Cron c =
          new Cron(
              field(expression, "minutes", f[0], 0, 59, null),
              field(expression, "hours", f[1], 0, 23, null),
              domAny ? all(1, 31) : field(expression, "day-of-month", f[2], 1, 31, null),
              field(expression, "month", f[3], 1, 12, MONTHS),
              dowAny ? all(1, 7) : field(expression, "day-of-week", f[4], 1, 7, DAYS),
              field(expression, "year", f[5], 1970, 2199, null),
              domAny,
              dowAny);
      c.requireMinimumGap(expression);
      return c;
    }

    /**
     * Conservative: the smallest gap between two minutes of a day that fire, counting the wrap to
     * the next hour and the next day as if they fired too.
     */
    private void requireMinimumGap(String expression) {
      List<Integer> times = new ArrayList<>();
      hours.stream().forEach(h -> minutes.stream().forEach(m -> times.add(h * 60 + m)));
      int smallest = times.getFirst() + 24 * 60 - times.getLast();
      for (int i = 1; i < times.size(); i++) {
        smallest = Math.min(smallest, times.get(i) - times.get(i - 1));
      }
      requireMinimum(expression, Duration.ofMinutes(smallest));
    }

    Optional<Instant> nextAfter(Instant after) {
      ZonedDateTime start =
          after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      LocalDate day = start.toLocalDate();
      for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
        if (!matches(day)) {
          continue;
        }
        int from = i == 0 ? start.getHour() * 60 + start.getMinute() : 0;
        for (int h = hours.nextSetBit(from / 60); h >= 0; h = hours.nextSetBit(h + 1)) {
          int firstMinute = h == from / 60 ? from % 60 : 0;
          int m = minutes.nextSetBit(firstMinute);
          if (m >= 0) {
            return Optional.of(day.atTime(h, m).toInstant(ZoneOffset.UTC));
          }
        }
      }
      return Optional.empty();
    }

    private boolean matches(LocalDate day) {
      // EventBridge numbers days of the week 1 (Sunday) to 7 (Saturday).
      int dow = day.getDayOfWeek().getValue() % 7 + 1;
      return years.get(day.getYear())
          && months.get(day.getMonthValue())
          && daysOfMonth.get(day.getDayOfMonth())
          && daysOfWeek.get(dow);
    }

    private static BitSet all(int min, int max) {
      BitSet b = new BitSet();
      b.set(min, max + 1);
      return b;
    }

    private static BitSet field(
        String expression, String name, String text, int min, int max, String[] names) {
      BitSet values = new BitSet();
      for (String item : text.split(",", -1)) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
          range = item.substring(0, slash);
          step = number(expression, name, item.substring(slash + 1), 1, max, null);
        }
        int from;
        int to;
        if (range.equals("*")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          String[] ends = range.split("-", -1);
          if (ends.length != 2) {
            throw bad(expression, name, item);
          }
          from = number(expression, name, ends[0], min, max, names);
          to = number(expression, name, ends[1], min, max, names);
          if (from > to) {
            throw bad(expression, name, item);
          }
        } else {
          from = number(expression, name, range, min, max, names);
          to = slash >= 0 ? max : from;
        }
        for (int v = from; v <= to; v += step) {
          values.set(v);
        }
      }
      return values;
    }

    private static int number(
        String expression, String name, String text, int min, int max, String[] names) {
      if (names != null) {
        for (int i = 0; i < names.length; i++) {
          if (names[i].equals(text.toUpperCase(Locale.ROOT))) {
            return min + i;
          }
        }
      }
      if (!text.matches("\\d{1,4}")) {
        throw bad(expression, name, text);
      }
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            "'" + expression + "': " + name + " value " + v + " is outside " + min + "-" + max);
      }
      return v;
    }

    private static IllegalArgumentException bad(String expression, String name, String item) {
      return new IllegalArgumentException(
          "'" + expression + "': '" + item + "' is not a valid " + name + " value");
    }
  }
}
