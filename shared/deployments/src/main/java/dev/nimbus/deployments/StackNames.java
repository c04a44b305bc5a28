package dev.nimbus.deployments;

import dev.nimbus.model.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names and hashes the runner and the wizard's API must agree on: the stack of a connection, the
 * project of a program, the qualified stack CI links and drift records are kept under, and the hash
 * of a run's validated inputs (an {@code up} must match its approved preview's).
 */
public final class StackNames {
  private StackNames() {}

  /** The stack of a tenant's connection for one program: {@code <tenant>.<connection>}. */
  public static String stack(ConnectionRef ref) {
    return ref.tenantId() + "." + ref.connectionId();
  }

  /** The Pulumi project of a program: {@code nimbus-<program>}. */
  public static String project(String program) {
    return "nimbus-" + program;
  }

  /** {@code <project>/<stack>}: the stack name alone is the same for every program. */
  public static String qualified(String program, ConnectionRef ref) {
    return project(program) + "/" + stack(ref);
  }

  /** SHA-256 of the inputs with keys sorted at every level. */
  public static String inputsHash(Map<String, Object> inputs) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(inputs).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keys sorted at every level; the programs build values in a fixed order. */
  private static String canonical(Object v) {
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      new TreeMap<>(m).forEach((k, x) -> b.append(k).append('=').append(canonical(x)).append(';'));
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      l.forEach(x -> b.append(canonical(x)).append(';'));
      return b.append(']').toString();
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }
}
