package dev.nimbus.infra.programs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The programs Nimbus deploys, by name. */
public final class ProgramCatalog {
  private final Map<String, DeploymentProgram> programs = new LinkedHashMap<>();

  public ProgramCatalog(List<DeploymentProgram> programs) {
    programs.forEach(p -> this.programs.put(p.name(), p));
  }

  /** The built-in programs. */
  public static ProgramCatalog standard() {
    return new ProgramCatalog(
        List.of(
            new VmProgram(),
            new ContainerProgram(),
            new PoolProgram(),
            new SecurityGroupProgram(),
            new SdnVnetProgram()));
  }

  public Optional<DeploymentProgram> find(String name) {
    return Optional.ofNullable(name == null ? null : programs.get(name));
  }

  public List<String> names() {
    return List.copyOf(programs.keySet());
  }

  public List<DeploymentProgram> all() {
    return List.copyOf(programs.values());
  }
}
