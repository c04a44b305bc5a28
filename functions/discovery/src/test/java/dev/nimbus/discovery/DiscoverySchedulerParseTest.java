package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.ConnectionRef;
import org.junit.jupiter.api.Test;

class DiscoverySchedulerParseTest {
  @Test
  void aQueuedMessageThatIsNotADiscoveryRequestIsRefusedWithTheReason() {
    assertThat(DiscoveryScheduler.parse("{\"tenantId\":\"acme\",\"connectionId\":\"lab\"}").ref())
        .isEqualTo(new ConnectionRef("acme", "lab"));
    assertThatThrownBy(
            () -> DiscoveryScheduler.parse("{\"tenantId\":\"Acme Corp\",\"connectionId\":\"lab\"}"))
        .hasMessageContaining("tenantId");
    assertThatThrownBy(() -> DiscoveryScheduler.parse("not json"))
        .isInstanceOf(RuntimeException.class);
  }
}
