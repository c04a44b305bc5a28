package dev.nimbus.usagefn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.ConnectionRef;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scheduled sample's order: every connection leads in turn, none is always last. */
class UsageRunnerRotationTest {
  private static final Duration PERIOD = Duration.ofMinutes(15);
  private static final List<ConnectionRef> FLEET =
      List.of(
          new ConnectionRef("acme", "a"),
          new ConnectionRef("acme", "b"),
          new ConnectionRef("acme", "c"),
          new ConnectionRef("globex", "d"));

  @Test
  void overAsManyPeriodsAsConnectionsEachLeadsOnceAndAllAreSampledEveryPeriod() {
    Instant start = Instant.parse("2026-11-30T10:00:00Z");
    Set<ConnectionRef> leaders = new HashSet<>();
    Set<ConnectionRef> last = new HashSet<>();
    for (int p = 0; p < FLEET.size(); p++) {
      List<ConnectionRef> order =
          UsageRunner.rotated(FLEET, start.plus(PERIOD.multipliedBy(p)), PERIOD);
      assertThat(order).containsExactlyInAnyOrderElementsOf(FLEET);
      leaders.add(order.getFirst());
      last.add(order.getLast());
    }
    assertThat(leaders).containsExactlyInAnyOrderElementsOf(FLEET);
    assertThat(last).as("no connection is always at the end").hasSize(FLEET.size());
  }

  @Test
  void withinOnePeriodTheOrderIsStableAndTheRelativeOrderIsKept() {
    Instant t = Instant.parse("2026-11-30T10:16:00Z");
    List<ConnectionRef> order = UsageRunner.rotated(FLEET, t, PERIOD);

    assertThat(UsageRunner.rotated(FLEET, t.plus(Duration.ofMinutes(13)), PERIOD)).isEqualTo(order);
    int i = order.indexOf(FLEET.getFirst());
    for (int k = 0; k < FLEET.size(); k++) {
      assertThat(order.get((i + k) % FLEET.size())).isEqualTo(FLEET.get(k));
    }
    assertThat(UsageRunner.rotated(List.of(), t, PERIOD)).isEmpty();
  }
}
