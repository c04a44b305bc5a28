package dev.nimbus.proxmox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.Secret;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

  private static ClientSettings settings(String base) {
    return ClientSettings.builder(base).apiToken("u@pve!t", Secret.of("s")).build();
  }

  @Test
  void aPastedApiRootIsTakenAsTheServerItself() {
    assertThat(settings("https://pve1:8006/api2/json").apiRoot())
        .isEqualTo("https://pve1:8006/api2/json");
    assertThat(settings("https://pve1:8006/api2/json/").apiRoot())
        .isEqualTo("https://pve1:8006/api2/json");
  }

  @Test
  void aTunnelPathStaysInFrontOfTheApiRoot() {
    assertThat(settings("https://tunnel.example.com/pve-lab/api2/json").apiRoot())
        .isEqualTo("https://tunnel.example.com/pve-lab/api2/json");
    assertThat(settings("https://tunnel.example.com/pve-lab").apiRoot())
        .isEqualTo("https://tunnel.example.com/pve-lab/api2/json");
  }

  @Test
  void plainHttpIsRefused() {
    assertThatThrownBy(() -> settings("http://pve1:8006")).hasMessageContaining("https");
  }
}
