package dev.nimbus.architecture;

import dev.nimbus.architecture.ModuleGraph.Kind;
import dev.nimbus.architecture.ModuleGraph.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The ownership rules of the build. A function must be able to reuse everything without copying and
 * be deployable alone, so shared code lives in shared modules: no shared module and no function may
 * depend on a function module. Only tools (the local run invokes the real functions) may. {@code
 * infra/} (the Pulumi programs) counts as shared. A module outside {@code shared/}, {@code infra/},
 * {@code functions/} and {@code tools/} is itself a violation, so a new folder cannot slip past the
 * rule.
 */
public final class DependencyRules {
  private DependencyRules() {}

  /**
   * Every violation, one line each, naming the module, its folder and the dependency; empty when
   * clean.
   */
  public static List<String> violations(ModuleGraph graph) {
    List<String> out = new ArrayList<>();
    for (Module module : graph.modulesByArtifact().values()) {
      if (module.kind() == Kind.UNKNOWN) {
        out.add(
            module.artifactId()
                + " ("
                + module.path()
                + ") lives outside shared/, infra/, functions/ and tools/");
      }
      if (module.kind() == Kind.TOOL) {
        continue;
      }
      for (String dependency : module.dependsOn()) {
        Module target = graph.modulesByArtifact().get(dependency);
        if (target != null && target.kind() == Kind.FUNCTION) {
          out.add(
              module.artifactId()
                  + " ("
                  + module.path()
                  + ") depends on the function module "
                  + dependency
                  + " ("
                  + target.path()
                  + "): move what it needs into a shared module; only tools/ may depend on"
                  + " functions");
        }
      }
    }
    return out;
  }
}
