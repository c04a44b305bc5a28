package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PveSimulatorMainTest {

  @Test
  void theMainPrintsAUrlATokenAndFingerprintsThatWork() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    String[] args = {
      "--nodes",
      "2",
      "--guests",
      "12",
      "--version",
      "9.1",
      "--seed",
      "5",
      "--port",
      "0",
      "--auth-delay-ms",
      "0"
    };
    try (PveSimulator sim =
        PveSimulatorMain.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
      String out = buf.toString(StandardCharsets.UTF_8);
      String url = line(out, "url:");
      String tokenId = line(out, "token id:");
      String secret = line(out, "token value:");
      assertThat(out).contains("fingerprint: pve1 " + sim.fingerprint("pve1"));
      assertThat(out).contains("12 guests");
      String[] id = tokenId.split("!");
      SimClient api =
          new SimClient(URI.create(url), sim.trustingSslContext())
              .header("Authorization", new ApiToken(id[0], id[1], secret).authorizationHeader());
      assertThat(api.get("/version").data().get("release").asString()).isEqualTo("9.1");
      assertThat(api.get("/cluster/resources", java.util.Map.of("type", "vm")).data()).hasSize(12);
    }
  }

  @Test
  void standaloneServesOneNodeWithoutAClusterRow() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    String[] args = {"--standalone", "solo", "--auth-delay-ms", "0"};
    try (PveSimulator sim =
        PveSimulatorMain.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(out).contains("(1 nodes, 3 guests").contains("fingerprint: solo ");
      String[] id = line(out, "token id:").split("!");
      SimClient api =
          new SimClient(URI.create(line(out, "url:")), sim.trustingSslContext())
              .header(
                  "Authorization",
                  new ApiToken(id[0], id[1], line(out, "token value:")).authorizationHeader());
      assertThat(api.get("/cluster/status").data())
          .singleElement()
          .satisfies(n -> assertThat(n.get("type").asString()).isEqualTo("node"));
    }
  }

  @Test
  void aStatsLineOnStandardInputAnswersTheRequestAndHandshakeCounts() throws Exception {
    String[] args = {"--nodes", "1", "--guests", "3", "--port", "0", "--auth-delay-ms", "0"};
    try (PveSimulator sim =
        PveSimulatorMain.run(args, new PrintStream(new ByteArrayOutputStream()))) {
      ApiToken token = sim.createToken("root@pam", "stats", Roles.ADMINISTRATOR, false);
      SimClient api = SimClient.withToken(sim, token);
      api.get("/version");
      api.get("/nodes");
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      PveSimulatorMain.commands(
          sim,
          new ByteArrayInputStream("stats\nbogus\n".getBytes(StandardCharsets.UTF_8)),
          new PrintStream(answer, true, StandardCharsets.UTF_8));
      assertThat(answer.toString(StandardCharsets.UTF_8).lines())
          .containsExactly(
              "stats: requests=2 tls-handshakes=" + sim.tlsHandshakes(),
              "unknown command: bogus (known: stats)");
      assertThat(sim.tlsHandshakes()).isBetween(1L, 2L);
    }
  }

  private static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length())
        .trim();
  }
}
