package dev.nimbus.infra.programs;

import static dev.nimbus.infra.programs.ProgramInput.optional;
import static dev.nimbus.infra.programs.ProgramInput.required;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.resources.ContainerLegacy;
import dev.nimbus.model.PermissionRequirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** An LXC container from an OS template volume. Inputs: {@link #INPUTS}. */
public final class ContainerProgram implements DeploymentProgram {
  static final List<ProgramInput> INPUTS =
      List.of(
          required("node", "string", "the node to create it on, a node of this cluster"),
          required("vmid", "integer", "guest id, 100 to 999999999, not taken by another guest"),
          required("hostname", "string", "host name, a DNS name"),
          required(
              "osTemplate",
              "string",
              "OS template volume storage:vztmpl/name.tar.zst, on a storage of the node"),
          required(
              "rootfsStorage", "string", "storage of the root disk, on the node, holding rootdir"),
          required("sshKeys", "list", "root's OpenSSH public keys (ssh-ed25519 AAAA... comment)"),
          required(
              "ipConfig",
              "list",
              "one IP configuration for eth0: ip=10.20.0.40/24,gw=10.20.0.1, ip=dhcp, ip6=auto"),
          optional(
              "osType",
              "string",
              "one of alpine, archlinux, centos, debian, devuan, fedora, gentoo, nixos, opensuse,"
                  + " ubuntu, unmanaged (default: detected from the template)"),
          optional("rootfsSizeGiB", "integer", "root disk size in GiB, 1 to 65536 (default 8)"),
          optional("cores", "integer", "CPU cores, 1 to 128 (default 1)"),
          optional("memoryMiB", "integer", "memory in MiB, 16 to 4194304 (default 512)"),
          optional("swapMiB", "integer", "swap in MiB, 0 to 4194304 (default 512)"),
          optional(
              "bridge", "string", "bridge or SDN vnet of the NIC, on the node (default vmbr0)"),
          optional("vlanTag", "integer", "VLAN tag of the NIC, 1 to 4094 (default: untagged)"),
          optional("unprivileged", "boolean", "unprivileged container (default true)"),
          optional(
              "pool", "string", "an existing pool to put it in (parent/child for a nested pool)"),
          optional("tags", "list", "Proxmox tags: lower-case letters, digits, _ - + ."),
          optional("description", "string", "notes shown in Proxmox"),
          optional("started", "boolean", "start the container once created (default true)"));

  static final Pattern TEMPLATE_VOLUME =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9\\-_.]*):vztmpl/([^/\\s]+\\.tar(\\.(gz|xz|zst))?)");
  static final Set<String> OS_TYPES =
      Set.of(
          "alpine",
          "archlinux",
          "centos",
          "debian",
          "devuan",
          "fedora",
          "gentoo",
          "nixos",
          "opensuse",
          "ubuntu",
          "unmanaged");

  @Override
  public String name() {
    return "container";
  }

  @Override
  public String description() {
    return "LXC container from an OS template, with SSH keys and IP configuration";
  }

  @Override
  public List<PermissionRequirement> permissions() {
    return DeployPermissions.forProgram(name());
  }

  @Override
  public List<ProgramInput> inputs() {
    return INPUTS;
  }

  record Spec(
      String node,
      int vmid,
      String hostname,
      String osTemplate,
      String osType,
      String rootfsStorage,
      int rootfsSizeGiB,
      int cores,
      int memoryMiB,
      int swapMiB,
      String bridge,
      Integer vlanTag,
      boolean unprivileged,
      String pool,
      List<String> tags,
      String description,
      List<String> sshKeys,
      CloudInitIpConfig ipConfig,
      boolean started) {}

  @Override
  public Plan plan(Map<String, Object> raw, Inventory inv) {
    Inputs in = new Inputs(raw);
    String node = Checks.node(in, inv, "node");
    Integer vmid = Checks.newVmid(in, inv, "vmid", "lxc");
    String hostname = in.matching("hostname", true, Inputs.DNS_NAME, "must be a DNS name");
    String template =
        in.matching(
            "osTemplate",
            true,
            TEMPLATE_VOLUME,
            "must be a template volume, storage:vztmpl/name.tar.zst");
    if (template != null) {
      var m = TEMPLATE_VOLUME.matcher(template);
      m.matches();
      String storage = m.group(1);
      var st = inv.storage(storage);
      if (st.isEmpty()) {
        in.error("osTemplate", "no storage '" + storage + "' in this cluster");
      } else if (node != null && !st.get().availableOn(node)) {
        in.error("osTemplate", "storage '" + storage + "' is not available on node " + node);
      } else if (!st.get().content().contains("vztmpl")) {
        in.error("osTemplate", "storage '" + storage + "' does not hold container templates");
      }
    }
    String osType = in.string("osType", false);
    if (osType != null && !OS_TYPES.contains(osType)) {
      in.error("osType", "must be one of " + new java.util.TreeSet<>(OS_TYPES));
    }
    String rootfs = Checks.storage(in, inv, "rootfsStorage", true, node, "rootdir");
    int size = nz(in.integer("rootfsSizeGiB", false, 1, 65536, 8));
    int cores = nz(in.integer("cores", false, 1, 128, 1));
    int memory = nz(in.integer("memoryMiB", false, 16, 4 * 1024 * 1024, 512));
    int swap = nz(in.integer("swapMiB", false, 0, 4 * 1024 * 1024, 512));
    String bridge = Checks.bridge(in, inv, "bridge", node);
    Integer vlan = in.integer("vlanTag", false, 1, 4094, null);
    boolean unprivileged = in.bool("unprivileged", true);
    String pool = Checks.pool(in, inv, "pool");
    List<String> tags = Checks.tags(in, "tags");
    String description = in.string("description", false);
    List<String> keys = Checks.sshKeys(in, "sshKeys");
    List<CloudInitIpConfig> ips = Checks.ipConfigs(in, "ipConfig", 1);
    boolean started = in.bool("started", true);
    in.finish();
    return new CtPlan(
        new Spec(
            node,
            vmid,
            hostname,
            template,
            osType,
            rootfs,
            size,
            cores,
            memory,
            swap,
            bridge,
            vlan,
            unprivileged,
            pool,
            tags,
            description,
            keys,
            ips.getFirst(),
            started));
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private record CtPlan(Spec s) implements Plan {
    @Override
    public Map<String, Object> inputs() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", s.node());
      m.put("vmid", s.vmid());
      m.put("hostname", s.hostname());
      m.put("osTemplate", s.osTemplate());
      m.put("osType", s.osType());
      m.put("rootfsStorage", s.rootfsStorage());
      m.put("rootfsSizeGiB", s.rootfsSizeGiB());
      m.put("cores", s.cores());
      m.put("memoryMiB", s.memoryMiB());
      m.put("swapMiB", s.swapMiB());
      m.put("bridge", s.bridge());
      m.put("vlanTag", s.vlanTag());
      m.put("unprivileged", s.unprivileged());
      m.put("pool", s.pool());
      m.put("tags", s.tags());
      m.put("description", s.description());
      m.put("sshKeys", s.sshKeys());
      m.put("ipConfig", List.of(s.ipConfig().text()));
      m.put("started", s.started());
      return m;
    }

    @Override
    public void define(Context ctx, ProviderResource provider) {
      var args =
          new ContainerLegacy.Args(s.node())
              .vmId(s.vmid())
              .description(s.description())
              .tags(s.tags())
              .unprivileged(s.unprivileged())
              .started(s.started())
              .startOnBoot(true)
              .operatingSystem(new ContainerLegacy.OperatingSystem(s.osTemplate(), s.osType()))
              .cpu(new ContainerLegacy.Cpu(s.cores()))
              .memory(new ContainerLegacy.Memory(s.memoryMiB(), s.swapMiB()))
              .disk(new ContainerLegacy.Disk(s.rootfsStorage(), s.rootfsSizeGiB()))
              .networkInterfaces(
                  List.of(
                      new ContainerLegacy.NetworkInterface("eth0", s.bridge(), true, s.vlanTag())))
              .initialization(
                  new ContainerLegacy.Initialization(
                      s.hostname(),
                      new ContainerLegacy.UserAccount(s.sshKeys()),
                      List.of(s.ipConfig().toArgs())));
      if (s.pool() != null) {
        args.poolId(Output.of(s.pool()));
      }
      var ct = new ContainerLegacy(s.hostname(), args, ProxmoxVePackage.options(provider));
      ctx.export("vmId", ct.vmId());
    }
  }
}
