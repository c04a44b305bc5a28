package dev.nimbus.pulumi.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {
  static final Path TMP = Path.of("/tmp");

  @Test
  void stateAndSecretsUrlsForAws() {
    var s =
        new RunnerSettings("nimbus-state", "/stacks/", "eu-central-1", "alias/p", TMP, TMP, 18006);

    assertThat(s.backendUrl()).isEqualTo("s3://nimbus-state/stacks?region=eu-central-1");
    assertThat(s.secretsProvider()).isEqualTo("awskms://alias/p?region=eu-central-1");
    assertThat(new RunnerSettings("b", "", "us-east-1", "k", TMP, TMP).backendUrl())
        .isEqualTo("s3://b?region=us-east-1");
  }

  @Test
  void anEmulatorEndpointGoesIntoBothUrlsEncoded() {
    var s =
        new RunnerSettings(
            "nimbus-state",
            "stacks",
            "eu-central-1",
            "alias/p",
            TMP,
            TMP,
            0,
            URI.create("http://127.0.0.1:4566"));

    assertThat(s.backendUrl())
        .isEqualTo(
            "s3://nimbus-state/stacks?region=eu-central-1"
                + "&endpoint=http%3A%2F%2F127.0.0.1%3A4566&use_path_style=true");
    assertThat(s.secretsProvider())
        .isEqualTo("awskms://alias/p?region=eu-central-1&endpoint=http%3A%2F%2F127.0.0.1%3A4566");
  }

  @Test
  void theForwarderPortIsAPort() {
    assertThatThrownBy(() -> new RunnerSettings("b", "", "r", "k", TMP, TMP, 70000))
        .hasMessageContaining("forwarderPort");
  }
}
