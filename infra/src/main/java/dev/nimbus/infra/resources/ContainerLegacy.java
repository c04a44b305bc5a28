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
 * An LXC container: {@code proxmoxve:index/containerLegacy:ContainerLegacy} (Terraform {@code
 * proxmox_virtual_environment_container}; version 7 {@code proxmoxve:CT/container:Container}),
 * created from an OS template volume ({@code operatingSystem.templateFileId}).
 */
@ResourceType(type = "proxmoxve:index/containerLegacy:ContainerLegacy")
public final class ContainerLegacy extends CustomResource {
  public static final String TOKEN = "proxmoxve:index/containerLegacy:ContainerLegacy";

  @Export(
      name = "vmId",
      refs = {Integer.class},
      tree = "[0]")
  private Output<Integer> vmId;

  public ContainerLegacy(String name, Args args, CustomResourceOptions options) {
    super(TOKEN, name, args, options);
  }

  public Output<Integer> vmId() {
    return vmId;
  }

  /** Top-level inputs. */
  public static final class Args extends ResourceArgs {
    @Import(name = "nodeName", required = true)
    private Output<String> nodeName;

    @Import(name = "vmId")
    private Output<Integer> vmId;

    @Import(name = "description")
    private Output<String> description;

    @Import(name = "tags")
    private Output<List<String>> tags;

    @Import(name = "poolId")
    private Output<String> poolId;

    @Import(name = "unprivileged")
    private Output<Boolean> unprivileged;

    @Import(name = "started")
    private Output<Boolean> started;

    @Import(name = "startOnBoot")
    private Output<Boolean> startOnBoot;

    @Import(name = "operatingSystem")
    private Output<OperatingSystem> operatingSystem;

    @Import(name = "cpu")
    private Output<Cpu> cpu;

    @Import(name = "memory")
    private Output<Memory> memory;

    @Import(name = "disk")
    private Output<Disk> disk;

    @Import(name = "networkInterfaces")
    private Output<List<NetworkInterface>> networkInterfaces;

    @Import(name = "initialization")
    private Output<Initialization> initialization;

    public Args(String nodeName) {
      this.nodeName = Output.of(nodeName);
    }

    public Args vmId(int v) {
      vmId = Output.of(v);
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

    public Args unprivileged(boolean v) {
      unprivileged = Output.of(v);
      return this;
    }

    public Args started(boolean v) {
      started = Output.of(v);
      return this;
    }

    public Args startOnBoot(boolean v) {
      startOnBoot = Output.of(v);
      return this;
    }

    public Args operatingSystem(OperatingSystem v) {
      operatingSystem = Output.of(v);
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

    public Args disk(Disk v) {
      disk = Output.of(v);
      return this;
    }

    public Args networkInterfaces(List<NetworkInterface> v) {
      networkInterfaces = Output.of(List.copyOf(v));
      return this;
    }

    public Args initialization(Initialization v) {
      initialization = Output.of(v);
      return this;
    }
  }

  /** {@code ContainerLegacyOperatingSystem}: required {@code templateFileId}, and the OS type. */
  public static final class OperatingSystem extends ResourceArgs {
    @Import(name = "templateFileId", required = true)
    private Output<String> templateFileId;

    @Import(name = "type")
    private Output<String> type;

    public OperatingSystem(String templateFileId, String type) {
      this.templateFileId = Output.of(templateFileId);
      this.type = type == null ? null : Output.of(type);
    }
  }

  /** {@code ContainerLegacyCpu}. */
  public static final class Cpu extends ResourceArgs {
    @Import(name = "cores")
    private Output<Integer> cores;

    public Cpu(int cores) {
      this.cores = Output.of(cores);
    }
  }

  /** {@code ContainerLegacyMemory}: MiB. */
  public static final class Memory extends ResourceArgs {
    @Import(name = "dedicated")
    private Output<Integer> dedicated;

    @Import(name = "swap")
    private Output<Integer> swap;

    public Memory(int dedicatedMiB, int swapMiB) {
      this.dedicated = Output.of(dedicatedMiB);
      this.swap = Output.of(swapMiB);
    }
  }

  /** {@code ContainerLegacyDisk}: the root file system, {@code size} in GiB. */
  public static final class Disk extends ResourceArgs {
    @Import(name = "datastoreId")
    private Output<String> datastoreId;

    @Import(name = "size")
    private Output<Integer> size;

    public Disk(String datastoreId, int sizeGiB) {
      this.datastoreId = Output.of(datastoreId);
      this.size = Output.of(sizeGiB);
    }
  }

  /** {@code ContainerLegacyNetworkInterface}: required {@code name} ({@code eth0}). */
  public static final class NetworkInterface extends ResourceArgs {
    @Import(name = "name", required = true)
    private Output<String> name;

    @Import(name = "bridge")
    private Output<String> bridge;

    @Import(name = "firewall")
    private Output<Boolean> firewall;

    @Import(name = "vlanId")
    private Output<Integer> vlanId;

    public NetworkInterface(String name, String bridge, boolean firewall, Integer vlanId) {
      this.name = Output.of(name);
      this.bridge = Output.of(bridge);
      this.firewall = Output.of(firewall);
      this.vlanId = vlanId == null ? null : Output.of(vlanId);
    }
  }

  /** {@code ContainerLegacyInitialization}. */
  public static final class Initialization extends ResourceArgs {
    @Import(name = "hostname")
    private Output<String> hostname;

    @Import(name = "userAccount")
    private Output<UserAccount> userAccount;

    @Import(name = "ipConfigs")
    private Output<List<VmLegacy.IpConfig>> ipConfigs;

    public Initialization(
        String hostname, UserAccount userAccount, List<VmLegacy.IpConfig> ipConfigs) {
      this.hostname = Output.of(hostname);
      this.userAccount = userAccount == null ? null : Output.of(userAccount);
      this.ipConfigs = ipConfigs == null || ipConfigs.isEmpty() ? null : Output.of(ipConfigs);
    }
  }

  /**
   * {@code ContainerLegacyInitializationUserAccount}: the root user's SSH keys (the schema has no
   * user name here; a container's account is root).
   */
  public static final class UserAccount extends ResourceArgs {
    @Import(name = "keys")
    private Output<List<String>> keys;

    public UserAccount(List<String> keys) {
      this.keys = Output.of(List.copyOf(keys));
    }
  }
}
