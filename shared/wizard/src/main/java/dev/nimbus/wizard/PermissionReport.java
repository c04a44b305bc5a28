package dev.nimbus.wizard;

import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.model.ProxmoxVersion;
import dev.nimbus.proxmox.provider.ProxmoxPermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A token's effective permissions judged per feature: what is granted, each missing privilege with
 * its ACL path, and the exact {@code pveum} commands that grant what is missing. A
 * privilege-separated token holds the intersection of its user's and its own ACLs, so the commands
 * grant both (an ACL that already exists is simply kept).
 */
public record PermissionReport(List<FeatureStatus> features) {

  /** Auditing privileges the built-in role PVEAuditor carries on every version. */
  private static final Set<String> AUDITOR =
      Set.of("Sys.Audit", "VM.Audit", "Datastore.Audit", "Pool.Audit", "SDN.Audit");

  /**
   * One feature's status; {@code program} names the deployment program (infra/) a deployment entry
   * is for, null for the other features.
   */
  public record FeatureStatus(
      WizardFeature feature,
      String program,
      String label,
      String purpose,
      boolean granted,
      List<WizardFeature.Privilege> required,
      List<WizardFeature.Privilege> missing,
      List<String> commands) {}

  public PermissionReport {
    features = List.copyOf(features);
  }

  /** True when every entry of {@code f} (for deployment: every program) is granted. */
  public boolean allGranted(WizardFeature f) {
    return features.stream().filter(s -> s.feature() == f).allMatch(FeatureStatus::granted);
  }

  /**
   * Judges {@code granted} (the token's {@code /access/permissions}) for every feature.
   *
   * @param tokenId {@code user@realm!name}
   * @param privsep whether the token is privilege-separated (then its own ACLs count too)
   */
  public static PermissionReport evaluate(
      ProxmoxVersion version, Permissions granted, String tokenId, boolean privsep) {
    List<FeatureStatus> out = new ArrayList<>();
    for (WizardFeature f : WizardFeature.values()) {
      if (f == WizardFeature.DEPLOYMENT) {
        // Per program (issue 15): a token may be enough to deploy pools but not VMs.
        for (String program : ProxmoxPermissions.DEPLOY_BY_PROGRAM.keySet()) {
          out.add(
              status(
                  f,
                  program,
                  f.label() + ": " + program,
                  WizardFeature.deployPrivileges(program, version),
                  version,
                  granted,
                  tokenId,
                  privsep));
        }
      } else {
        out.add(
            status(f, null, f.label(), f.privileges(version), version, granted, tokenId, privsep));
      }
    }
    return new PermissionReport(out);
  }

  private static FeatureStatus status(
      WizardFeature f,
      String program,
      String label,
      List<WizardFeature.Privilege> required,
      ProxmoxVersion version,
      Permissions granted,
      String tokenId,
      boolean privsep) {
    List<WizardFeature.Privilege> missing =
        required.stream().filter(p -> !granted.has(p.path(), p.name())).toList();
    return new FeatureStatus(
        f,
        program,
        label,
        f.purpose(),
        missing.isEmpty(),
        required,
        missing,
        commands(f, version, missing, tokenId, privsep));
  }

  /**
   * The commands that grant {@code missing}: PVEAuditor where it carries the privilege (and on
   * version 9 also VM.GuestAgent.Audit), else a role named after the feature with exactly the
   * missing privileges, granted on each path to the user and (privsep) the token.
   */
  static List<String> commands(
      WizardFeature feature,
      ProxmoxVersion version,
      List<WizardFeature.Privilege> missing,
      String tokenId,
      boolean privsep) {
    if (missing.isEmpty()) {
      return List.of();
    }
    boolean pve9 = version == null || version.guestAgentAuditPriv();
    String user = tokenId.substring(0, tokenId.indexOf('!'));
    Map<String, Set<String>> rolesByPath = new LinkedHashMap<>();
    Set<String> custom = new LinkedHashSet<>();
    for (WizardFeature.Privilege p : missing) {
      boolean auditor =
          AUDITOR.contains(p.name()) || (pve9 && p.name().equals("VM.GuestAgent.Audit"));
      if (auditor) {
        rolesByPath.computeIfAbsent(p.path(), k -> new LinkedHashSet<>()).add("PVEAuditor");
      } else {
        custom.add(p.name());
        rolesByPath.computeIfAbsent(p.path(), k -> new LinkedHashSet<>()).add(roleName(feature));
      }
    }
    List<String> commands = new ArrayList<>();
    if (!custom.isEmpty()) {
      commands.add(
          "pveum role add " + roleName(feature) + " --privs '" + String.join(",", custom) + "'");
    }
    rolesByPath.forEach(
        (path, roles) -> {
          String r = String.join(",", roles);
          commands.add("pveum acl modify " + path + " --users '" + user + "' --roles " + r);
          if (privsep) {
            commands.add("pveum acl modify " + path + " --tokens '" + tokenId + "' --roles " + r);
          }
        });
    return List.copyOf(commands);
  }

  static String roleName(WizardFeature f) {
    StringBuilder sb = new StringBuilder("Nimbus");
    for (String part : f.name().toLowerCase().split("_")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }
}
