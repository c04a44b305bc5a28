package dev.nimbus.local;

import dev.nimbus.local.LocalOptions.UsageException;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ClusterResource;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/pve}: changes the local simulator the way an administrator would, through the Proxmox
 * API with the simulator's administrator token, so the next {@code bin/discover} finds the change,
 * its diff and its author. {@code set qemu/101 memory=8192 [key=value ...]} changes a guest's
 * config like the web UI and {@code qm set} do ({@code PUT /nodes/{node}/qemu/{vmid}/config}, the
 * node looked up in {@code /cluster/resources}): no task, only a cluster log line for a VM; {@code
 * set --async} uses {@code POST} instead, which runs a {@code qmconfig} task; {@code reboot}
 * applies a running VM's pending changes; {@code get qemu/101} prints the config. TLS is verified
 * against the simulator's CA.
 */
public final class PveAdmin {
  private static final Pattern GUEST = Pattern.compile("(?:(qemu|lxc)/)?(\\d+)");

  static final String USAGE =
      """
      usage: bin/pve set qemu/101 memory=8192 [key=value ...]   change a guest's config (PUT, as
                                                                the web UI: no task)
             bin/pve set --async qemu/101 memory=8192          the same through POST: a qmconfig task
             bin/pve reboot qemu/101                           reboot (applies pending changes)
             bin/pve get qemu/101                              print a guest's config
      (the local simulator's administrator token is in .local/admin-token)""";

  private PveAdmin() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Arrays.asList(args), EnvironmentProcess.localDir(), System.out);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (ProxmoxException | IllegalStateException e) {
      System.err.println("bin/pve failed: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static int run(List<String> arguments, Path dir, PrintStream out) {
    List<String> args = new java.util.ArrayList<>(arguments);
    boolean async = args.size() > 1 && args.get(0).equals("set") && args.get(1).equals("--async");
    if (async) {
      args.remove(1);
    }
    if (args.size() < 2 || !List.of("get", "set", "reboot").contains(args.getFirst())) {
      throw new UsageException(USAGE);
    }
    Matcher guest = GUEST.matcher(args.get(1));
    if (!guest.matches()) {
      throw new UsageException(
          "not a guest: " + args.get(1) + " (qemu/101, lxc/200 or 101)\n" + USAGE);
    }
    Map<String, String> changes = new LinkedHashMap<>();
    for (String kv : args.subList(2, args.size())) {
      int eq = kv.indexOf('=');
      if (eq < 1) {
        throw new UsageException("not key=value: " + kv + "\n" + USAGE);
      }
      changes.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    boolean set = args.getFirst().equals("set");
    boolean reboot = args.getFirst().equals("reboot");
    if (set == changes.isEmpty()) {
      throw new UsageException(set ? "set needs at least one key=value\n" + USAGE : USAGE);
    }
    EnvironmentInfo env =
        EnvironmentInfo.read(dir)
            .filter(EnvironmentInfo::processAlive)
            .orElseThrow(() -> new UsageException("no local environment runs: bin/discover first"));
    EnvironmentInfo.SimulatorInfo sim =
        env.simulatorInfo()
            .orElseThrow(
                () ->
                    new UsageException(
                        "bin/pve changes the local simulator only, and this environment has none"));
    ProxmoxClient client = client(dir, sim);

    int vmid = Integer.parseInt(guest.group(2));
    ClusterResource row =
        client.cluster().resources().stream()
            .filter(r -> r.isGuest() && r.vmid() != null && r.vmid() == vmid)
            .filter(r -> guest.group(1) == null || guest.group(1).equals(r.type()))
            .findFirst()
            .orElseThrow(() -> new UsageException("the cluster has no guest " + args.get(1)));
    String guestPath = "/nodes/" + row.node() + "/" + row.type() + "/" + vmid;
    String path = guestPath + "/config";
    if (reboot) {
      String upid = client.post(guestPath + "/status/reboot", Map.of()).asString();
      out.printf(
          "%s/%d (%s) on %s: rebooted as %s (%s)%n",
          row.type(), vmid, row.name(), row.node(), tokenId(dir), upid);
    } else if (set) {
      if (async) {
        client.post(path, changes);
      } else {
        client.put(path, changes);
      }
      out.printf(
          "%s/%d (%s) on %s: set %s as %s%s%n",
          row.type(),
          vmid,
          row.name(),
          row.node(),
          String.join(" ", args.subList(2, args.size())),
          tokenId(dir),
          async ? " (qmconfig task)" : "");
    } else {
      Map<String, String> config = new TreeMap<>();
      client
          .get(path, Map.of())
          .properties()
          .forEach(e -> config.put(e.getKey(), e.getValue().asString()));
      out.printf("%s/%d (%s) on %s%n", row.type(), vmid, row.name(), row.node());
      config.forEach((k, v) -> out.printf("  %-12s %s%n", k, v));
    }
    return 0;
  }

  private static ProxmoxClient client(Path dir, EnvironmentInfo.SimulatorInfo sim) {
    String line = adminToken(dir);
    int eq = line.indexOf('=');
    try {
      return ProxmoxClient.create(
          ClientSettings.builder(sim.url())
              .trust(new TlsTrust.CustomCa(Files.readString(Path.of(sim.caFile()))))
              .apiToken(line.substring(0, eq), Secret.of(line.substring(eq + 1)))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulator's CA " + sim.caFile(), e);
    }
  }

  private static String tokenId(Path dir) {
    String line = adminToken(dir);
    return line.substring(0, line.indexOf('='));
  }

  private static String adminToken(Path dir) {
    Path file = dir.resolve(EnvironmentInfo.ADMIN_TOKEN_FILE);
    try {
      String line = Files.readString(file).strip();
      if (line.indexOf('=') < 1) {
        throw new IllegalStateException(file + " is not user@realm!name=secret");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
