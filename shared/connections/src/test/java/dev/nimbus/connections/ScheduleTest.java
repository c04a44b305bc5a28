package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
  private static final Instant T = Instant.parse("2026-03-04T10:07:30Z"); // a Wednesday

  @Test
  void aRateRunsThatLongAfterTheLastRun() {
    assertThat(Schedule.parse("rate(15 minutes)").nextAfter(T))
        .contains(Instant.parse("2026-03-04T10:22:30Z"));
    assertThat(Schedule.parse("rate(1 day)").nextAfter(T))
        .contains(Instant.parse("2026-03-05T10:07:30Z"));
  }

  @ParameterizedTest(name = "{0} after 2026-03-04T10:07:30Z is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cron(0/15 * * * ? *)       | 2026-03-04T10:15:00Z",
        "cron(5 10 * * ? *)         | 2026-03-05T10:05:00Z",
        "cron(0 8 ? * MON-FRI *)    | 2026-03-05T08:00:00Z",
        "cron(0 8 ? * SAT *)        | 2026-03-07T08:00:00Z",
        "cron(30 2 1 * ? *)         | 2026-04-01T02:30:00Z",
        "cron(0 0 1 JAN ? 2027)     | 2027-01-01T00:00:00Z",
        "cron(10,40 */6 * * ? *)    | 2026-03-04T12:10:00Z"
      })
  void aCronRunsAtTheNextMatchingMinuteInUtc(String expression, String expected) {
    assertThat(Schedule.parse(expression).nextAfter(T)).contains(Instant.parse(expected));
  }

  @Test
  void aCronWhoseYearsAreOverNeverRunsAgain() {
    assertThat(Schedule.parse("cron(0 0 1 1 ? 2020)").nextAfter(T)).isEmpty();
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "rate(1 minutes)           | write 'minute' for a value of 1",
        "rate(2 minute)            | write 'minute' for a value of 1",
        "rate(4 minutes)           | the minimum is 5 minutes",
        "rate(0 minutes)           | must be positive",
        "rate(5 weeks)             | minutes, hours or days",
        "cron(0/2 * * * ? *)       | runs every 2 minute(s)",
        "cron(0,58 * * * ? *)      | runs every 2 minute(s)",
        "cron(0 * * * *)           | has 5 field(s)",
        "cron(0 8 * * MON *)       | exactly one of day-of-month and day-of-week",
        "cron(0 8 ? * ? *)         | exactly one of day-of-month and day-of-week",
        "cron(0 8 L * ? *)         | L, W and # are not supported",
        "cron(61 * * * ? *)        | minutes value 61 is outside 0-59",
        "cron(0 8 ? * FUNDAY *)    | 'FUNDAY' is not a valid day-of-week value",
        "every 15 minutes          | is not a schedule expression"
      })
  void badExpressionsAreRefusedWithTheReason(String expression, String reason) {
    assertThatThrownBy(() -> Schedule.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
