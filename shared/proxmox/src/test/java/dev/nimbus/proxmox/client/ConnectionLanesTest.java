package dev.nimbus.proxmox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class ConnectionLanesTest {

  @Test
  void noLaneHasMoreCallsInFlightThanTheJdkKeepsIdle() throws Exception {
    SSLSocketFactory base = SSLContext.getDefault().getSocketFactory();
    ConnectionLanes lanes = new ConnectionLanes(base, 16);
    List<ConnectionLanes.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      taken.add(lanes.acquire(Duration.ZERO));
    }

    Map<SSLSocketFactory, Long> perLane =
        taken.stream()
            .collect(
                Collectors.groupingBy(
                    ConnectionLanes.Slot::socketFactory,
                    java.util.IdentityHashMap::new,
                    Collectors.counting()));
    assertThat(lanes.laneCount())
        .isEqualTo((16 + ConnectionLanes.IDLE_PER_POOL - 1) / ConnectionLanes.IDLE_PER_POOL);
    assertThat(perLane).hasSize(lanes.laneCount());
    assertThat(perLane.values()).allMatch(n -> n <= ConnectionLanes.IDLE_PER_POOL);
    assertThat(lanes.acquire(Duration.ZERO)).as("the bound holds").isNull();

    lanes.release(taken.getFirst());
    assertThat(lanes.acquire(Duration.ZERO)).isSameAs(taken.getFirst());
  }

  @Test
  void aBoundWithinOnePoolKeepsTheClientsOwnSocketFactory() throws Exception {
    SSLSocketFactory base = SSLContext.getDefault().getSocketFactory();
    ConnectionLanes lanes = new ConnectionLanes(base, 1);
    assertThat(lanes.laneCount()).isEqualTo(1);
    assertThat(lanes.acquire(Duration.ZERO).socketFactory()).isSameAs(base);
  }
}
