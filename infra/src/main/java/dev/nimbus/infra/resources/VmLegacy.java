package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;
import java.util.List;

/**
 * A QEMU VM: {@code proxmoxve:index/vmLegacy:VmLegacy} (Terraform {@code
 * proxmox_virtual_environment_vm}; version 7 token {@code
 * proxmoxve:VM/virtualMachine:VirtualMachine}). Only the inputs the programs set are declared, each
 * under the schema's exact name; nested blocks are the schema's object types ({@code
 * VmLegacyClone}, {@code VmLegacyInitialization}, ...).
 */
@ResourceType(type = "proxmoxve:index/vmLegacy:VmLegacy")
public final class VmLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:index/vmLegacy:VmLegacy";

  @Export(
      name = "vmId",
      refs = {Integer.class},
      tree = "[0]")
  private Output<Integer> vmId;

  @Export(
      name = "nodeName",
      refs = {String.class},
      tree = "[0]")
  private Output<String> nodeName;

  @Export(
      name = "name",
      refs = {String.class},
      tree = "[0]")
  private Output<String> name;

  public VmLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  public Output<Integer> vmId() {
    return vmId;
  }

  public Output<String> nodeName() {
    return nodeName;
  }

  public Output<String> name() {
    return name;
  }

  /** Top-level inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "nodeName", required = true)
    private Output<String> nodeName;

    @Import(name = "vmId")
    private Output<Integer> vmId;

    @Import(name = "name")
    private Output<String> name;

    @Import(name = "description")
    private Output<String> description;

    @Import(name = "tags")
    private Output<List<String>> tags;

    @Import(name = "poolId")
    private Output<String> poolId;

    @Import(name = "started")
    private Output<Boolean> started;

    @Import(name = "onBoot")
    private Output<Boolean> onBoot;

    @Import(name = "clone")
    private Output<Clone> clone;

    @Import(name = "cpu")
    private Output<Cpu> cpu;

    @Import(name = "memory")
    private Output<Memory> memory;

    @Import(name = "agent")
    private Output<Agent> agent;

    @Import(name = "networkDevices")
    private Output<List<NetworkDevice>> networkDevices;

    @Import(name = "initialization")
    private Output<Initialization> initialization;

    public Args(String nodeName) {
      this.nodeName = Output.of(nodeName);
    }

    public Args vmId(int v) {
      vmId = Output.of(v);
      return this;
    }

    public Args name(String v) {
      name = Output.of(v);
      return this;
    }

    public Args description(String v) {
      description = v == null ? null : Output.of(v);
      return this;
    }

    public Args tags(List<String> v) {
      tags = v == null || v.isEmpty() ? null : Output.of(List.copyOf(v));
      return this;
    }

    public Args poolId(Output<String> v) {
      poolId = v;
      return this;
    }

    public Args started(boolean v) {
      started = Output.of(v);
      return this;
    }

    public Args onBoot(boolean v) {
      onBoot = Output.of(v);
      return this;
    }

    public Args clone(Clone v) {
      clone = Output.of(v);
      return this;
    }

    public Args cpu(Cpu v) {
      cpu = Output.of(v);
      return this;
    }

    public Args memory(Memory v) {
      memory = Output.of(v);
      return this;
    }

    public Args agent(Agent v) {
      agent = Output.of(v);
      return this;
    }

    public Args networkDevices(List<NetworkDevice> v) {
      networkDevices = Output.of(List.copyOf(v));
      return this;
    }

    public Args initialization(Initialization v) {
      initialization = Output.of(v);
      return this;
    }
  }

  /** {@code VmLegacyClone}: the template to clone (required {@code vmId}); replaces on change. */
  public static final class Clone extends ResourceArgs {
    @Import(name = "vmId", required = true)
    private Output<Integer> vmId;

    @Import(name = "nodeName")
    private Output<String> nodeName;

    @Import(name = "datastoreId")
    private Output<String> datastoreId;

    @Import(name = "full")
    private Output<Boolean> full;

    public Clone(int templateVmId, String templateNode, String datastoreId, boolean full) {
      this.vmId = Output.of(templateVmId);
      this.nodeName = Output.of(templateNode);
      this.datastoreId = datastoreId == null ? null : Output.of(datastoreId);
      this.full = Output.of(full);
    }
  }

  /** {@code VmLegacyCpu}. */
  public static final class Cpu extends ResourceArgs {
    @Import(name = "cores")
    private Output<Integer> cores;

    @Import(name = "sockets")
    private Output<Integer> sockets;

    public Cpu(int cores, int sockets) {
      this.cores = Output.of(cores);
      this.sockets = Output.of(sockets);
    }
  }

  /** {@code VmLegacyMemory}: {@code dedicated} MiB. */
  public static final class Memory extends ResourceArgs {
    @Import(name = "dedicated")
    private Output<Integer> dedicated;

    public Memory(int dedicatedMiB) {
      this.dedicated = Output.of(dedicatedMiB);
    }
  }

  /** {@code VmLegacyAgent}. */
  public static final class Agent extends ResourceArgs {
    @Import(name = "enabled")
    private Output<Boolean> enabled;

    public Agent(boolean enabled) {
      this.enabled = Output.of(enabled);
    }
  }

  /** {@code VmLegacyNetworkDevice}. */
  public static final class NetworkDevice extends ResourceArgs {
    @Import(name = "bridge")
    private Output<String> bridge;

    @Import(name = "model")
    private Output<String> model;

    @Import(name = "firewall")
    private Output<Boolean> firewall;

    @Import(name = "vlanId")
    private Output<Integer> vlanId;

    public NetworkDevice(String bridge, String model, boolean firewall, Integer vlanId) {
      this.bridge = Output.of(bridge);
      this.model = Output.of(model);
      this.firewall = Output.of(firewall);
      this.vlanId = vlanId == null ? null : Output.of(vlanId);
    }
  }

  /** {@code VmLegacyInitialization}: cloud-init. */
  public static final class Initialization extends ResourceArgs {
    @Import(name = "datastoreId")
    private Output<String> datastoreId;

    @Import(name = "userAccount")
    private Output<UserAccount> userAccount;

    @Import(name = "ipConfigs")
    private Output<List<IpConfig>> ipConfigs;

    @Import(name = "dns")
    private Output<Dns> dns;

    public Initialization(
        String datastoreId, UserAccount userAccount, List<IpConfig> ipConfigs, Dns dns) {
      this.datastoreId = datastoreId == null ? null : Output.of(datastoreId);
      this.userAccount = userAccount == null ? null : Output.of(userAccount);
      this.ipConfigs = ipConfigs == null || ipConfigs.isEmpty() ? null : Output.of(ipConfigs);
      this.dns = dns == null ? null : Output.of(dns);
    }
  }

  /** {@code VmLegacyInitializationUserAccount}: user name and SSH public keys (no password). */
  public static final class UserAccount extends ResourceArgs {
    @Import(name = "username")
    private Output<String> username;

    @Import(name = "keys")
    private Output<List<String>> keys;

    public UserAccount(String username, List<String> keys) {
      this.username = Output.of(username);
      this.keys = Output.of(List.copyOf(keys));
    }
  }

  /** {@code VmLegacyInitializationIpConfig}: one interface's IPv4 and IPv6 settings. */
  public static final class IpConfig extends ResourceArgs {
    @Import(name = "ipv4")
    private Output<Address> ipv4;

    @Import(name = "ipv6")
    private Output<Address> ipv6;

    public IpConfig(Address ipv4, Address ipv6) {
      this.ipv4 = ipv4 == null ? null : Output.of(ipv4);
      this.ipv6 = ipv6 == null ? null : Output.of(ipv6);
    }
  }

  /**
   * {@code VmLegacyInitializationIpConfigIpv4} / {@code ...Ipv6}: {@code address} is a CIDR, or
   * {@code dhcp} (IPv6 also {@code auto}); {@code gateway} only with a static address.
   */
  public static final class Address extends ResourceArgs {
    @Import(name = "address")
    private Output<String> address;

    @Import(name = "gateway")
    private Output<String> gateway;

    public Address(String address, String gateway) {
      this.address = Output.of(address);
      this.gateway = gateway == null ? null : Output.of(gateway);
    }
  }

  /** {@code VmLegacyInitializationDns}. */
  public static final class Dns extends ResourceArgs {
    @Import(name = "domain")
    private Output<String> domain;

    @Import(name = "servers")
    private Output<List<String>> servers;

    public Dns(String domain, List<String> servers) {
      this.domain = domain == null ? null : Output.of(domain);
      this.servers = servers == null || servers.isEmpty() ? null : Output.of(List.copyOf(servers));
    }
  }
}
