package dev.nimbus.infra.programs;

import com.pulumi.Context;
import com.pulumi.resources.ProviderResource;
import dev.nimbus.model.PermissionRequirement;
import java.util.List;
import java.util.Map;

/**
 * A Pulumi program users deploy through Nimbus. {@link #plan} validates the raw inputs against the
 * connection's inventory and fails with every field error at once ({@link InputException}) before
 * any engine call; the returned {@link Plan} defines the resources inside the engine run.
 */
public interface DeploymentProgram {
  /** The program's name in the API ({@code vm}, {@code container}, ...), also the project name. */
  String name();

  /** One line for the wizard. */
  String description();

  /** The privileges a deploy token needs for this program, on their ACL paths. */
  List<PermissionRequirement> permissions();

  /**
   * The inputs {@link #plan} reads, required ones first, in the order the wizard's form shows them.
   * Any other field is refused.
   */
  List<ProgramInput> inputs();

  /** Validates {@code raw} against {@code inventory}. */
  Plan plan(Map<String, Object> raw, Inventory inventory);

  /** A validated deployment, ready to run inside the engine. */
  interface Plan {
    /** The inputs after validation and defaults, as plain JSON values (for the run record). */
    Map<String, Object> inputs();

    /** Defines the resources; every one uses {@code provider}. */
    void define(Context ctx, ProviderResource provider);
  }
}
