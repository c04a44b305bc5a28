package dev.nimbus.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The file the provider (a Go program) reads its trusted roots from: the bpg/proxmox provider has
 * no CA setting (only {@code insecure} and {@code min_tls}), and Go's crypto/x509 on Linux loads
 * its roots from {@code SSL_CERT_FILE}. The CLI reads the same variable for its own HTTPS calls
 * (the S3 state backend), so the bundle is the system's roots plus the run's CA, never the run's CA
 * alone.
 */
public final class TrustBundle {
  /** Where Debian/Ubuntu and Amazon Linux (the Lambda base images) keep the system roots. */
  public static final List<Path> SYSTEM_BUNDLES =
      List.of(
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/certs/ca-certificates.crt"));

  private TrustBundle() {}

  /** Writes {@code dir/ca-bundle.pem}: the first system bundle found, then {@code runCaPem}. */
  public static Path write(Path dir, String runCaPem) {
    return write(dir, runCaPem, SYSTEM_BUNDLES);
  }

  static Path write(Path dir, String runCaPem, List<Path> systemBundles) {
    try {
      StringBuilder pem = new StringBuilder();
      for (Path p : systemBundles) {
        if (Files.isReadable(p)) {
          pem.append(Files.readString(p));
          if (!pem.isEmpty() && pem.charAt(pem.length() - 1) != '\n') {
            pem.append('\n');
          }
          break;
        }
      }
      pem.append(runCaPem);
      Path file = dir.resolve("ca-bundle.pem");
      Files.writeString(file, pem);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the run directory's own permissions apply.
      }
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the run's trust bundle", e);
    }
  }
}
