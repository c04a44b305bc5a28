package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsConfigTest {
  @Test
  void tableAndKeyComeFromTheFunctionEnvironment() {
    var config =
        ConnectionsConfig.fromEnvironment(
            Map.of("TABLE_NAME", "nimbus", "TOKEN_KEY_ID", "alias/nimbus-proxmox-tokens"));

    assertThat(config.tableName()).isEqualTo("nimbus");
    assertThat(config.tokenKeyId()).isEqualTo("alias/nimbus-proxmox-tokens");
  }

  @Test
  void aMissingKeyIsNamedInTheError() {
    assertThatThrownBy(() -> ConnectionsConfig.fromEnvironment(Map.of("TABLE_NAME", "nimbus")))
        .hasMessageContaining("TOKEN_KEY_ID");
  }
}
