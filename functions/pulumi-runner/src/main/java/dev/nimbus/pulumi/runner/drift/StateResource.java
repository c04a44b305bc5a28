package dev.nimbus.pulumi.runner.drift;

import dev.nimbus.deployments.drift.DriftValues;
import dev.nimbus.infra.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource of a stack's exported state that drift looks at: URN, type token, provider id, inputs
 * (what the program set) and outputs (what the provider last read). Only resources of the proxmoxve
 * kinds are kept, so the explicit provider (whose inputs hold the API token) never leaves {@link
 * #of}; values marked secret in state read {@code [secret]}.
 */
public record StateResource(
    String urn, String type, String id, Map<String, Object> inputs, Map<String, Object> outputs) {

  public StateResource {
    inputs = inputs == null ? Map.of() : inputs;
    outputs = outputs == null ? Map.of() : outputs;
  }

  public Optional<ResourceKind> kind() {
    return ResourceKind.ofToken(type);
  }

  /** The native key of the CI this resource is (empty for options, the SDN applier, ...). */
  public Optional<String> nativeKey() {
    return kind().flatMap(k -> k.nativeKey(outputs));
  }

  /**
   * The proxmoxve resources of an exported deployment ({@code stack export}'s {@code deployment}
   * object). The Automation API exports with {@code --show-secrets}: secret values are replaced
   * here and the provider resource is dropped before anything else sees the state.
   */
  @SuppressWarnings("unchecked")
  public static List<StateResource> of(Map<String, Object> deployment) {
    List<StateResource> out = new ArrayList<>();
    Object resources = deployment == null ? null : deployment.get("resources");
    if (!(resources instanceof List<?> list)) {
      return out;
    }
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> r)) {
        continue;
      }
      String type = (String) r.get("type");
      if (type == null || ResourceKind.ofToken(type).isEmpty()) {
        continue;
      }
      if (Boolean.TRUE.equals(r.get("delete"))) {
        // Marked for deletion (a replacement in progress): not what the stack manages.
        continue;
      }
      out.add(
          new StateResource(
              (String) r.get("urn"),
              type,
              r.get("id") == null ? null : String.valueOf(r.get("id")),
              (Map<String, Object>) DriftValues.normalize(r.get("inputs")),
              (Map<String, Object>) DriftValues.normalize(r.get("outputs"))));
    }
    return out;
  }
}
