package dev.nimbus.proxmox.client.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProxmoxVersionTest {

  @Test
  void readsPve7VersionsWithDebianRevision() {
    assertThat(ProxmoxVersion.parse("7.4-16")).isEqualTo(new ProxmoxVersion(7, 4, 16));
    assertThat(ProxmoxVersion.parse("pve-manager/7.4-16/0f39f621"))
        .isEqualTo(new ProxmoxVersion(7, 4, 16));
  }

  @Test
  void readsPve8And9SemanticVersions() {
    assertThat(ProxmoxVersion.parse("8.2.4")).isEqualTo(new ProxmoxVersion(8, 2, 4));
    assertThat(ProxmoxVersion.parse("9.0")).isEqualTo(new ProxmoxVersion(9, 0, 0));
    assertThatThrownBy(() -> ProxmoxVersion.parse("banana"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void derivesFeatureFlagsFromTheVersion() {
    ProxmoxVersion pve7 = ProxmoxVersion.parse("7.4-16");
    ProxmoxVersion pve80 = ProxmoxVersion.parse("8.0.4");
    ProxmoxVersion pve81 = ProxmoxVersion.parse("8.1.3");
    ProxmoxVersion pve84 = ProxmoxVersion.parse("8.4.1");
    ProxmoxVersion pve90 = ProxmoxVersion.parse("9.0.4");
    ProxmoxVersion pve9012 = ProxmoxVersion.parse("9.0.12");

    assertThat(pve7.poolsByQueryParam()).isFalse();
    assertThat(pve80.nestedPools()).isFalse();
    assertThat(pve81.poolsByQueryParam()).isTrue();
    assertThat(pve81.memoryPropertyString()).isTrue();
    assertThat(pve81.lxcInterfaces()).isTrue();
    assertThat(pve81.metricsExport()).isFalse();
    assertThat(pve84.metricsExport()).isTrue();
    assertThat(pve84.vnetFirewall()).isTrue();
    assertThat(pve84.lxcInterfaceHwaddrIps()).isTrue();
    assertThat(pve84.guestAgentAuditPriv()).isFalse();
    assertThat(pve90.guestAgentAuditPriv()).isTrue();
    assertThat(pve90.networkRows()).isFalse();
    assertThat(pve9012.networkRows()).isTrue();
    assertThat(ProxmoxVersion.parse("9.1.2").networkRows()).isTrue();
  }
}
