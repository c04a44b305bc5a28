package dev.nimbus.proxmox.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropertyStringTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "virtio=BC:24:11:2E:C5:4A,bridge=vmbr0,firewall=1,tag=10",
        "e1000=BC:24:11:00:02:30,bridge=vmbr1,link_down=1,rate=12.5,queues=4",
        "local-lvm:vm-101-disk-0,size=32G,iothread=1",
        "none,media=cdrom",
        "/mnt/foo/bar,mp=/storage,ro=1",
        "name=eth0,bridge=vmbr0,firewall=1,hwaddr=5D:CF:BD:B2:C5:39,ip=dhcp,type=veth",
        "ip=10.0.0.5/24,gw=10.0.0.1",
        "1,fstrim_cloned_disks=1",
        "current=4096",
        "order=scsi0;ide2;net0",
        "host=0000:01:00.0,pcie=1,x-vga",
      })
  void writesBackExactlyWhatItParsed(String text) {
    assertThat(PropertyString.parse(text, "file").format()).isEqualTo(text);
    assertThat(NetDevice.parse(text).format()).isEqualTo(text);
    assertThat(DiskDevice.parse(text).format()).isEqualTo(text);
  }

  @Test
  void keepsThePositionalFirstValueUnderTheDefaultKey() {
    PropertyString ps = PropertyString.parse("local-lvm:vm-101-disk-0,size=32G", "file");
    assertThat(ps.get("file")).isEqualTo("local-lvm:vm-101-disk-0");
    assertThat(ps.positionalKey()).isEqualTo("file");
    assertThat(ps.values().keySet()).containsExactly("file", "size");
  }

  @Test
  void buildsAPropertyStringFromValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("bridge", "vmbr0");
    values.put("virtio", "BC:24:11:00:00:01");
    values.put("tag", "20");
    String written = PropertyString.of(values, null).format();
    assertThat(written).isEqualTo("bridge=vmbr0,virtio=BC:24:11:00:00:01,tag=20");
    assertThat(NetDevice.parse(written).tag()).isEqualTo(20);
    assertThat(PropertyString.of(Map.of("volume", "tank:vm-1-disk-0"), "volume").format())
        .isEqualTo("tank:vm-1-disk-0");
  }

  @Test
  void readsTheQemuModelFromTheKeyOfTheMacAddress() {
    NetDevice net = NetDevice.parse("virtio=BC:24:11:2E:C5:4A,bridge=vmbr0,firewall=1,tag=10,x=y");
    assertThat(net.model()).isEqualTo("virtio");
    assertThat(net.macaddr()).isEqualTo("BC:24:11:2E:C5:4A");
    assertThat(net.bridge()).isEqualTo("vmbr0");
    assertThat(net.firewall()).isTrue();
    assertThat(net.tag()).isEqualTo(10);
    assertThat(net.unknown()).containsExactly(Map.entry("x", "y"));
  }

  @Test
  void readsLxcNetworkDevicesWithTheirAddresses() {
    NetDevice net =
        NetDevice.parse(
            "name=eth0,bridge=vmbr0,hwaddr=5D:CF:BD:B2:C5:39,ip=dhcp,ip6=auto,type=veth");
    assertThat(net.name()).isEqualTo("eth0");
    assertThat(net.macaddr()).isEqualTo("5D:CF:BD:B2:C5:39");
    assertThat(net.ip()).isEqualTo("dhcp");
    assertThat(net.ip6()).isEqualTo("auto");
    assertThat(net.type()).isEqualTo("veth");
    assertThat(net.model()).isNull();
  }

  @Test
  void readsDiskStorageSizeAndMedia() {
    DiskDevice disk = DiskDevice.parse("local-lvm:vm-101-disk-0,size=32G,iothread=1");
    assertThat(disk.storage()).isEqualTo("local-lvm");
    assertThat(disk.volume()).isEqualTo("local-lvm:vm-101-disk-0");
    assertThat(disk.sizeBytes()).isEqualTo(32L << 30);
    assertThat(disk.unknown()).containsEntry("iothread", "1");
    assertThat(DiskDevice.parse("none,media=cdrom").isCdrom()).isTrue();
    assertThat(DiskDevice.parse("none,media=cdrom").storage()).isNull();
    DiskDevice bind = DiskDevice.parse("/mnt/foo/bar,mp=/storage");
    assertThat(bind.storage()).isNull();
    assertThat(bind.mountPoint()).isEqualTo("/storage");
    assertThat(DiskDevice.sizeBytes("4M")).isEqualTo(4L << 20);
    assertThat(DiskDevice.sizeBytes("1.5T")).isEqualTo((long) (1.5 * (1L << 40)));
  }

  @Test
  void readsAgentAndIpConfigSettings() {
    AgentSettings agent = AgentSettings.parse("1,fstrim_cloned_disks=1");
    assertThat(agent.enabled()).isTrue();
    assertThat(agent.fstrimClonedDisks()).isTrue();
    assertThat(AgentSettings.parse("enabled=0,type=isa").enabled()).isFalse();
    assertThat(AgentSettings.parse("enabled=0,type=isa").type()).isEqualTo("isa");
    IpConfig ip = IpConfig.parse("ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto");
    assertThat(ip.ip()).isEqualTo("10.0.0.5/24");
    assertThat(ip.gw()).isEqualTo("10.0.0.1");
    assertThat(ip.ip6()).isEqualTo("auto");
  }

  @Test
  void splitsTagsOnSemicolonsCommasAndSpaces() {
    assertThat(Lenient.tags("prod;web")).containsExactly("prod", "web");
    assertThat(Lenient.tags("one, two, three")).containsExactly("one", "two", "three");
    assertThat(Lenient.tags("a b;c,d")).containsExactly("a", "b", "c", "d");
    assertThat(Lenient.tags("")).isEmpty();
    assertThat(Lenient.tags(null)).isEmpty();
  }

  @Test
  void readsMemoryAsPlainNumberOrCurrentPropertyString() {
    assertThat(GuestConfig.memory("4096")).isEqualTo(4096L);
    assertThat(GuestConfig.memory("current=4096")).isEqualTo(4096L);
    assertThat(GuestConfig.memory("current=8192,virtio-mem=1")).isEqualTo(8192L);
    assertThat(GuestConfig.memory(null)).isNull();
  }
}
