package dev.nimbus.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.architecture.ModuleGraph.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule over this repository's build, and over small builds made here that break it, so that a
 * green result means the rule looked and found nothing, not that it cannot see.
 */
class ModuleDependencyRulesTest {

  /** The repository: the nearest folder upwards that holds pom.xml, shared/ and functions/. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("shared"))
          && Files.isDirectory(dir.resolve("functions"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  @Test
  void noSharedModuleAndNoFunctionDependsOnAFunctionModule() {
    ModuleGraph graph = ModuleGraph.read(repositoryRoot());

    assertThat(DependencyRules.violations(graph)).isEmpty();
  }

  @Test
  void theRealBuildIsReadCompletely() {
    ModuleGraph graph = ModuleGraph.read(repositoryRoot());

    assertThat(graph.modulesByArtifact().get("nimbus-discovery").kind()).isEqualTo(Kind.FUNCTION);
    assertThat(graph.modulesByArtifact().get("nimbus-ci-events").kind()).isEqualTo(Kind.FUNCTION);
    assertThat(graph.modulesByArtifact().get("nimbus-webhooks").kind()).isEqualTo(Kind.SHARED);
    assertThat(graph.modulesByArtifact().get("nimbus-infra").kind()).isEqualTo(Kind.SHARED);
    assertThat(graph.modulesByArtifact().get("nimbus-pulumi-runner").kind())
        .isEqualTo(Kind.FUNCTION);
    ModuleGraph.Module localRun = graph.modulesByArtifact().get("nimbus-local-run");
    assertThat(localRun.kind()).isEqualTo(Kind.TOOL);
    assertThat(localRun.path()).isEqualTo("tools/local-run");
    // The tool's allowed dependencies are seen: the rule would see a forbidden one the same way.
    assertThat(localRun.dependsOn()).contains("nimbus-discovery", "nimbus-ci-events");
    assertThat(graph.modulesByArtifact().get("nimbus-ci-events").dependsOn())
        .contains("nimbus-webhooks", "nimbus-testing");
  }

  @Test
  void aBuildThatBreaksTheRuleIsReportedModuleByModule(@TempDir Path root) throws IOException {
    pom(root, "", "parent", List.of("shared/lib", "functions", "tools/run", "misc/extra"));
    pom(root, "shared/lib", "lib", List.of(), dependency("fn-a", "test"));
    pom(root, "functions", "functions-parent", List.of("a", "b"));
    pom(root, "functions/a", "fn-a", List.of(), dependency("lib", null));
    pom(root, "functions/b", "fn-b", List.of(), dependency("fn-a", null));
    pom(root, "tools/run", "run", List.of(), dependency("fn-a", null), dependency("fn-b", null));
    pom(root, "misc/extra", "extra", List.of());

    List<String> violations = DependencyRules.violations(ModuleGraph.read(root));

    assertThat(violations)
        .containsExactlyInAnyOrder(
            "lib (shared/lib) depends on the function module fn-a (functions/a): move what it"
                + " needs into a shared module; only tools/ may depend on functions",
            "fn-b (functions/b) depends on the function module fn-a (functions/a): move what it"
                + " needs into a shared module; only tools/ may depend on functions",
            "extra (misc/extra) lives outside shared/, infra/, functions/ and tools/");
  }

  @Test
  void dependenciesOnOtherGroupsAndOnSharedModulesAreFine(@TempDir Path root) throws IOException {
    pom(root, "", "parent", List.of("shared/a", "shared/b", "functions/f"));
    pom(root, "shared/a", "a", List.of());
    pom(root, "shared/b", "b", List.of(), dependency("a", null));
    pom(
        root,
        "functions/f",
        "f",
        List.of(),
        dependency("b", null),
        "<dependency><groupId>org.other</groupId><artifactId>f</artifactId></dependency>");

    assertThat(DependencyRules.violations(ModuleGraph.read(root))).isEmpty();
  }

  private static String dependency(String artifactId, String scope) {
    return "<dependency><groupId>dev.example</groupId><artifactId>"
        + artifactId
        + "</artifactId>"
        + (scope == null ? "" : "<scope>" + scope + "</scope>")
        + "</dependency>";
  }

  private static void pom(
      Path root, String dir, String artifactId, List<String> modules, String... dependencies)
      throws IOException {
    Path folder = dir.isEmpty() ? root : root.resolve(dir);
    Files.createDirectories(folder);
    String xml =
        "<project><modelVersion>4.0.0</modelVersion>"
            + (dir.isEmpty() ? "<groupId>dev.example</groupId>" : "")
            + "<artifactId>"
            + artifactId
            + "</artifactId>"
            + (modules.isEmpty()
                ? ""
                : modules.stream()
                    .map(m -> "<module>" + m + "</module>")
                    .collect(Collectors.joining("", "<modules>", "</modules>")))
            + "<dependencies>"
            + String.join("", dependencies)
            + "</dependencies></project>";
    Files.writeString(folder.resolve("pom.xml"), xml);
  }
}
