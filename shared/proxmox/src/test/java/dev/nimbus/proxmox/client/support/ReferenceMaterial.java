package dev.nimbus.proxmox.client.support;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the optional reference folder beside the repository ({@code ../shared/proxmox}) with the
 * recorded Proxmox samples. Absent on a fresh clone; tests then use only their own fixtures.
 */
public final class ReferenceMaterial {
  private ReferenceMaterial() {}

  /** {@code .../shared/proxmox/samples} of the reference folder, when present. */
  public static Optional<Path> samples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/proxmox/samples");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The module's own fixtures folder ({@code src/test/resources/fixtures} on the class path). */
  public static Path ownFixtures() {
    try {
      return Path.of(ReferenceMaterial.class.getResource("/fixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
