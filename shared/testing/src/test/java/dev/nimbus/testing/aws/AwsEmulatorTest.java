package dev.nimbus.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsEmulatorTest {

  @Test
  void anExplicitEndpointIsUsedAsItIsWithoutStartingAnything() {
    AwsBackend backend =
        AwsEmulator.start(
            Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            () -> {
              throw new AssertionError("Docker must not be probed when an endpoint is given");
            });

    assertThat(backend.kind()).isEqualTo(AwsBackend.Kind.EXTERNAL);
    assertThat(backend.endpoint()).hasToString("http://127.0.0.1:4566");
  }

  @Test
  void withoutAnyBackendTheFailureSaysWhatToInstall() {
    assertThatThrownBy(() -> AwsEmulator.start(Map.of("PATH", "/nonexistent"), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AWS_ENDPOINT_URL")
        .hasMessageContaining("Docker")
        .hasMessageContaining("moto_server");
  }
}
