package dev.nimbus.infra.programs;

import static dev.nimbus.infra.programs.ProgramInput.optional;
import static dev.nimbus.infra.programs.ProgramInput.required;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.infra.resources.VmLegacy;
import dev.nimbus.model.PermissionRequirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A QEMU VM cloned from a template, configured by cloud-init: a user with SSH keys (no password),
 * one IP configuration in Proxmox's {@code ipconfig} syntax, optional DNS. Inputs: {@link #INPUTS}.
 */
public final class VmProgram implements DeploymentProgram {
  static final List<ProgramInput> INPUTS =
      List.of(
          required("node", "string", "the node to create it on, a node of this cluster"),
          required("vmid", "integer", "guest id, 100 to 999999999, not taken by another guest"),
          required("name", "string", "VM name, a DNS name"),
          required("template", "integer", "VM id of a QEMU template in this cluster to clone"),
          required(
              "user", "string", "cloud-init user, a Linux user name (no password: SSH keys only)"),
          required(
              "sshKeys", "list", "the user's OpenSSH public keys (ssh-ed25519 AAAA... comment)"),
          required(
              "ipConfig",
              "list",
              "one IP configuration for the NIC, Proxmox syntax: ip=10.20.0.30/24,gw=10.20.0.1,"
                  + " ip=dhcp, ip6=auto"),
          optional(
              "fullClone",
              "boolean",
              "full clone (default true); false: a linked clone on the template's storage"),
          optional(
              "datastore",
              "string",
              "storage for a full clone's disks, on the node, holding images (default: the"
                  + " template's)"),
          optional(
              "cloudInitDatastore",
              "string",
              "storage for the cloud-init drive, on the node, holding images"),
          optional("cores", "integer", "CPU cores per socket, 1 to 128 (default 2)"),
          optional("sockets", "integer", "CPU sockets, 1 to 4 (default 1)"),
          optional("memoryMiB", "integer", "memory in MiB, 64 to 4194304 (default 2048)"),
          optional(
              "bridge", "string", "bridge or SDN vnet of the NIC, on the node (default vmbr0)"),
          optional("vlanTag", "integer", "VLAN tag of the NIC, 1 to 4094 (default: untagged)"),
          optional(
              "pool", "string", "an existing pool to put it in (parent/child for a nested pool)"),
          optional("tags", "list", "Proxmox tags: lower-case letters, digits, _ - + ."),
          optional("description", "string", "notes shown in Proxmox"),
          optional("dnsServers", "list", "DNS server IP addresses for cloud-init"),
          optional("dnsDomain", "string", "DNS search domain for cloud-init"),
          optional("started", "boolean", "start the VM once created (default true)"),
          optional("agent", "boolean", "enable the QEMU guest agent (default true)"));

  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  @Override
  public String name() {
    return "vm";
  }

  @Override
  public String description() {
    return "QEMU VM cloned from a template, with cloud-init user, SSH keys and IP configuration";
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
      String name,
      int template,
      String templateNode,
      boolean fullClone,
      String datastore,
      String cloudInitDatastore,
      int cores,
      int sockets,
      int memoryMiB,
      String bridge,
      Integer vlanTag,
      String pool,
      List<String> tags,
      String description,
      String user,
      List<String> sshKeys,
      List<CloudInitIpConfig> ipConfigs,
      List<String> dnsServers,
      String dnsDomain,
      boolean started,
      boolean agent) {}

  @Override
  public Plan plan(Map<String, Object> raw, Inventory inv) {
    Inputs in = new Inputs(raw);
    String node = Checks.node(in, inv, "node");
    Integer vmid = Checks.newVmid(in, inv, "vmid", "qemu");
    String name = in.matching("name", true, Inputs.DNS_NAME, "must be a DNS name");
    Integer template = in.vmid("template", true);
    String templateNode = null;
    if (template != null) {
      var t = inv.guest(template);
      if (t.isEmpty()) {
        in.error("template", "no VM " + template + " in this cluster");
      } else if (!t.get().type().equals("qemu") || !t.get().template()) {
        in.error("template", "VM " + template + " (" + t.get().name() + ") is not a QEMU template");
      } else {
        templateNode = t.get().node();
      }
    }
    boolean fullClone = in.bool("fullClone", true);
    String datastore = Checks.storage(in, inv, "datastore", false, node, "images");
    if (datastore != null && !fullClone) {
      in.error("datastore", "a linked clone stays on the template's storage; set fullClone");
    }
    String ciStore = Checks.storage(in, inv, "cloudInitDatastore", false, node, "images");
    int cores = nz(in.integer("cores", false, 1, 128, 2));
    int sockets = nz(in.integer("sockets", false, 1, 4, 1));
    int memory = nz(in.integer("memoryMiB", false, 64, 4 * 1024 * 1024, 2048));
    String bridge = Checks.bridge(in, inv, "bridge", node);
    Integer vlan = in.integer("vlanTag", false, 1, 4094, null);
    String pool = Checks.pool(in, inv, "pool");
    List<String> tags = Checks.tags(in, "tags");
    String description = in.string("description", false);
    String user = in.matching("user", true, USER, "must be a Linux user name");
    List<String> keys = Checks.sshKeys(in, "sshKeys");
    List<CloudInitIpConfig> ips = Checks.ipConfigs(in, "ipConfig", 1);
    List<String> dns = in.strings("dnsServers", false);
    for (int i = 0; i < dns.size(); i++) {
      if (CloudInitIpConfig.parse("ip=" + dns.get(i) + "/32").value().isEmpty()
          && CloudInitIpConfig.parse("ip6=" + dns.get(i) + "/128").value().isEmpty()) {
        in.error("dnsServers[" + i + "]", "must be an IP address");
      }
    }
    String domain = in.matching("dnsDomain", false, Inputs.DNS_NAME, "must be a DNS domain");
    boolean started = in.bool("started", true);
    boolean agent = in.bool("agent", true);
    in.finish();
    Spec s =
        new Spec(
            node,
            vmid,
            name,
            template,
            templateNode,
            fullClone,
            datastore,
            ciStore,
            cores,
            sockets,
            memory,
            bridge,
            vlan,
            pool,
            tags,
            description,
            user,
            keys,
            ips,
            dns,
            domain,
            started,
            agent);
    return new VmPlan(s);
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private record VmPlan(Spec s) implements Plan {
    @Override
    public Map<String, Object> inputs() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", s.node());
      m.put("vmid", s.vmid());
      m.put("name", s.name());
      m.put("template", s.template());
      m.put("fullClone", s.fullClone());
      m.put("datastore", s.datastore());
      m.put("cloudInitDatastore", s.cloudInitDatastore());
      m.put("cores", s.cores());
      m.put("sockets", s.sockets());
      m.put("memoryMiB", s.memoryMiB());
      m.put("bridge", s.bridge());
      m.put("vlanTag", s.vlanTag());
      m.put("pool", s.pool());
      m.put("tags", s.tags());
      m.put("description", s.description());
      m.put("user", s.user());
      m.put("sshKeys", s.sshKeys());
      m.put("ipConfig", s.ipConfigs().stream().map(CloudInitIpConfig::text).toList());
      m.put("dnsServers", s.dnsServers());
      m.put("dnsDomain", s.dnsDomain());
      m.put("started", s.started());
      m.put("agent", s.agent());
      return m;
    }

    @Override
    public void define(Context ctx, ProviderResource provider) {
      var args =
          new VmLegacy.Args(s.node())
              .vmId(s.vmid())
              .name(s.name())
              .description(s.description())
              .tags(s.tags())
              .started(s.started())
              .onBoot(true)
              .clone(
                  new VmLegacy.Clone(s.template(), s.templateNode(), s.datastore(), s.fullClone()))
              .cpu(new VmLegacy.Cpu(s.cores(), s.sockets()))
              .memory(new VmLegacy.Memory(s.memoryMiB()))
              .agent(new VmLegacy.Agent(s.agent()))
              .networkDevices(
                  List.of(new VmLegacy.NetworkDevice(s.bridge(), "virtio", true, s.vlanTag())))
              .initialization(
                  new VmLegacy.Initialization(
                      s.cloudInitDatastore(),
                      new VmLegacy.UserAccount(s.user(), s.sshKeys()),
                      s.ipConfigs().stream().map(CloudInitIpConfig::toArgs).toList(),
                      s.dnsServers().isEmpty() && s.dnsDomain() == null
                          ? null
                          : new VmLegacy.Dns(s.dnsDomain(), s.dnsServers())));
      if (s.pool() != null) {
        args.poolId(Output.of(s.pool()));
      }
      var vm = new VmLegacy(s.name(), args, ProxmoxVePackage.options(provider));
      ctx.export("vmId", vm.vmId());
      ctx.export("node", vm.nodeName());
    }
  }
}
