package dev.nimbus.proxmox.client.model;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A guest network device parsed from its property string. QEMU writes the model as the key of the
 * MAC ({@code virtio=BC:24:11:2E:C5:4A,bridge=vmbr0,firewall=1,tag=10}); LXC writes {@code
 * name=eth0,bridge=vmbr0,hwaddr=..,ip=dhcp,type=veth}. Unknown keys are kept in {@code unknown};
 * {@code source} writes the original text back.
 */
public record NetDevice(
    String model,
    String macaddr,
    String bridge,
    Integer tag,
    boolean firewall,
    Double rate,
    boolean linkDown,
    Integer mtu,
    String name,
    String ip,
    String ip6,
    String gw,
    String gw6,
    String type,
    Map<String, String> unknown,
    PropertyString source) {

  private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  private static final Set<String> MODELS =
      Set.of(
          "virtio",
          "e1000",
          "e1000e",
          "rtl8139",
          "vmxnet3",
          "i82551",
          "i82557b",
          "i82559er",
          "ne2k_isa",
          "ne2k_pci",
          "pcnet",
          "e1000-82540em",
          "e1000-82544gc",
          "e1000-82545em");
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "macaddr",
          "hwaddr",
          "bridge",
          "tag",
          "firewall",
          "rate",
          "link_down",
          "mtu",
          "name",
          "ip",
          "ip6",
          "gw",
          "gw6",
          "type");

  public static NetDevice parse(String text) {
    PropertyString ps = PropertyString.parse(text);
    String model = ps.get("model");
    String mac = ps.get("macaddr");
    String modelKey = null;
    if (model == null) {
      for (Map.Entry<String, String> e : ps.values().entrySet()) {
        // LXC's hwaddr=MAC is not a model; only a key outside the known ones can be.
        boolean candidate = !KNOWN.contains(e.getKey());
        if (candidate && (MODELS.contains(e.getKey()) || MAC.matcher(e.getValue()).matches())) {
          modelKey = e.getKey();
          model = e.getKey();
          mac = e.getValue().isEmpty() ? null : e.getValue();
          break;
        }
      }
    }
    if (mac == null) {
      mac = ps.get("hwaddr");
    }
    String tag = ps.get("tag");
    String rate = ps.get("rate");
    String mtu = ps.get("mtu");
    Set<String> known = new HashSet<>(KNOWN);
    if (modelKey != null) {
      known.add(modelKey);
    }
    return new NetDevice(
        model,
        mac,
        ps.get("bridge"),
        toInt(tag),
        Boolean.TRUE.equals(Lenient.parseBool(ps.get("firewall"))),
        Lenient.parseDouble(rate),
        Boolean.TRUE.equals(Lenient.parseBool(ps.get("link_down"))),
        toInt(mtu),
        ps.get("name"),
        ps.get("ip"),
        ps.get("ip6"),
        ps.get("gw"),
        ps.get("gw6"),
        ps.get("type"),
        ps.without(known),
        ps);
  }

  private static Integer toInt(String text) {
    Long value = Lenient.parseLong(text);
    return value == null ? null : Math.toIntExact(value);
  }

  /** The property string as Proxmox wrote it. */
  public String format() {
    return source.format();
  }
}
