package dev.nimbus.infra.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Inventory checks shared by the programs: each adds a field error and returns false. */
final class Checks {
  private static final Pattern SSH_KEY =
      Pattern.compile(
          "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)"
              + " [A-Za-z0-9+/]+={0,3}( [^\\r\\n]*)?");
  static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+){0,2}");

  private Checks() {}

  static String node(Inputs in, Inventory inv, String field) {
    String node =
        in.matching(field, true, Inputs.NODE, "must be a node name (letters, digits, '-')");
    if (node != null && !inv.nodes().contains(node)) {
      in.error(field, "no node '" + node + "' in this cluster (known: " + inv.nodes() + ")");
      return null;
    }
    return node;
  }

  /** A storage on {@code node} offering {@code content}. */
  static String storage(
      Inputs in, Inventory inv, String field, boolean required, String node, String content) {
    String name =
        in.matching(
            field, required, Inputs.STORAGE, "must be a storage id (for example local-lvm)");
    if (name == null) {
      return null;
    }
    var storage = inv.storage(name);
    if (storage.isEmpty()) {
      in.error(field, "no storage '" + name + "' in this cluster");
      return null;
    }
    if (node != null && !storage.get().availableOn(node)) {
      in.error(field, "storage '" + name + "' is not available on node " + node);
      return null;
    }
    if (!storage.get().content().contains(content)) {
      in.error(field, "storage '" + name + "' does not hold '" + content + "' content");
      return null;
    }
    return name;
  }

  /** A new guest id: free, or already the stack's own guest of {@code type}. */
  static Integer newVmid(Inputs in, Inventory inv, String field, String type) {
    Integer vmid = in.vmid(field, true);
    if (vmid == null) {
      return null;
    }
    var existing = inv.guest(vmid);
    if (existing.isPresent() && !inv.managed().contains(type + "/" + vmid)) {
      var g = existing.get();
      in.error(field, "VM id " + vmid + " is taken by " + g.type() + "/" + vmid + " " + g.name());
      return null;
    }
    return vmid;
  }

  static String bridge(Inputs in, Inventory inv, String field, String node) {
    String bridge =
        in.matching(
            field,
            false,
            Pattern.compile("[a-zA-Z][a-zA-Z0-9_.\\-]{0,14}"),
            "must be a bridge or vnet name");
    if (bridge == null) {
      bridge = "vmbr0";
    }
    if (node != null && !inv.bridgeUsable(node, bridge)) {
      in.error(field, "no bridge or vnet '" + bridge + "' on node " + node);
      return null;
    }
    return bridge;
  }

  static String pool(Inputs in, Inventory inv, String field) {
    String pool = in.matching(field, false, POOL_ID, "must be a pool id (parent/child)");
    if (pool != null && !inv.pools().contains(pool)) {
      in.error(field, "no pool '" + pool + "' in this cluster");
      return null;
    }
    return pool;
  }

  static List<String> sshKeys(Inputs in, String field) {
    List<String> keys = in.strings(field, true);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!SSH_KEY.matcher(keys.get(i)).matches()) {
        in.error(
            field + "[" + i + "]", "must be an OpenSSH public key (ssh-ed25519 AAAA... comment)");
      } else {
        out.add(keys.get(i));
      }
    }
    return out;
  }

  static List<CloudInitIpConfig> ipConfigs(Inputs in, String field, int max) {
    List<String> texts = in.strings(field, true);
    if (texts.size() > max) {
      in.error(field, "at most " + max + " entries");
      return List.of();
    }
    List<CloudInitIpConfig> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      var r = CloudInitIpConfig.parse(texts.get(i));
      if (r.value().isPresent()) {
        out.add(r.value().get());
      } else {
        in.error(field + "[" + i + "]", r.error());
      }
    }
    return out;
  }

  static List<String> tags(Inputs in, String field) {
    List<String> tags = in.strings(field, false);
    for (int i = 0; i < tags.size(); i++) {
      if (!tags.get(i).matches("[a-z0-9_][a-z0-9_\\-+.]*")) {
        in.error(field + "[" + i + "]", "must be a Proxmox tag (lower-case letters, digits, _-+.)");
      }
    }
    return tags;
  }
}
