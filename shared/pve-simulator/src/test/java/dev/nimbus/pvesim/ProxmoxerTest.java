package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Proxmox client python3-proxmoxer (Debian package) reads the simulator with an API token
 * over TLS verified against the simulator's CA. Skipped when proxmoxer is missing, except in CI (CI
 * set), where it must be installed.
 */
class ProxmoxerTest {
  private static final String PYTHON = "/usr/bin/python3";

  @Test
  void proxmoxerReadsVersionResourcesVmConfigAndRrddataWithATokenOverVerifiedTls(@TempDir Path dir)
      throws Exception {
    requireProxmoxer();
    Path script = dir.resolve("read_cluster.py");
    try (InputStream in = getClass().getResourceAsStream("/proxmoxer/read_cluster.py")) {
      Files.copy(in, script);
    }
    SimulatorConfig config =
        SimulatorConfig.demo().withVersion(PveVersion.V9_1).withAuthFailureDelay(Duration.ZERO);
    try (PveSimulator sim = PveSimulator.start(config)) {
      ApiToken token = sim.createToken("monitor@pve", "ro", Roles.PVE_AUDITOR, true);
      Path ca = sim.writeCaCertificate(dir.resolve("pve-root-ca.pem"));
      Process p =
          new ProcessBuilder(
                  PYTHON,
                  script.toString(),
                  "127.0.0.1:" + sim.port(),
                  token.userid(),
                  token.tokenId(),
                  ca.toString(),
                  "pve1",
                  "101")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write((token.secret() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("proxmoxer output: %s", out).isZero();
      JsonNode result = SimClient.JSON.readTree(out);

      assertThat(result.at("/version/release").asString()).isEqualTo("9.1");
      assertThat(result.at("/version/version").asString()).isEqualTo(PveVersion.V9_1.version());
      List<String> types =
          result.get("resourceTypes").valueStream().map(JsonNode::asString).toList();
      assertThat(types).contains("node", "qemu", "lxc", "storage", "pool", "network");
      assertThat(result.get("vmCount").asInt()).isEqualTo(sim.cluster().guests().size());
      assertThat(result.at("/config/name").asString()).isEqualTo("web-01");
      assertThat(result.at("/config/net0").asString()).startsWith("virtio=BC:24:11:");
      assertThat(result.at("/config/digest").asString())
          .isEqualTo(sim.cluster().guest(101).digest());
      assertThat(result.get("rrdPoints").asInt()).isEqualTo(60);
      assertThat(result.at("/rrdFirst/cpu").isNumber()).isTrue();
      assertThat(sim.requestCount("/cluster/resources")).isEqualTo(2);
    }
  }

  private static void requireProxmoxer() throws IOException, InterruptedException {
    boolean available = false;
    if (Files.isExecutable(Path.of(PYTHON))) {
      Process check =
          new ProcessBuilder(PYTHON, "-c", "import proxmoxer").redirectErrorStream(true).start();
      check.getInputStream().readAllBytes();
      available = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
    }
    if (!available) {
      String message = "python3-proxmoxer is not installed (apt-get install python3-proxmoxer)";
      if (System.getenv("CI") != null) {
        fail(message + " - required in CI");
      }
      Assumptions.abort(message + " - skipping the proxmoxer compatibility test");
    }
  }
}
