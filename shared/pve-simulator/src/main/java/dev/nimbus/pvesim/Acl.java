package dev.nimbus.pvesim;

/**
 * One ACL entry: on {@code path}, {@code subject} (a user {@code alice@pve} or a token {@code
 * alice@pve!ro}) has {@code role}; {@code propagate} extends it to sub-paths.
 */
public record Acl(String path, String subject, String role, boolean propagate) {
  public static Acl of(String path, String subject, String role) {
    return new Acl(path, subject, role, true);
  }
}
