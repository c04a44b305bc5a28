package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandlerConfigurationTest {

  @Test
  void springBootReadsTheDiscoveryFunctionsApplicationPropertiesNotTheCiEventsOnes()
      throws IOException {
    // Both function jars ship an application.properties and Spring Boot reads only the first one
    // on the class path: the handlers the local run drives need the discovery function's.
    String text;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("application.properties")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(text)
        .contains("nimbus.discovery.table-name=${TABLE_NAME")
        .contains("nimbus.discovery.queue-url=${DISCOVERY_QUEUE_URL")
        .doesNotContain("nimbus.events.");
  }
}
