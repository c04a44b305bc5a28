package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Latency of each wizard step with 20 ms added to every Proxmox request (the simulator's latency
 * fault, a tunnel's round trip), through the real handler. Prints the median of five runs and the
 * Proxmox requests per step; asserts only the request counts (counted, never timed): the probe
 * sends no API request at all, and the interactive steps stay small.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WizardStepBenchmarkIT {
  private static final int RUNS = 5;

  private PveSimulator sim;
  private ApiClient api;
  private ApiToken auditor;

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    auditor = sim.createToken("bench@pve", "ro", Roles.PVE_AUDITOR, true);
    String queue =
        aws.clients().sqs().createQueue(b -> b.queueName("bench-" + aws.tableName())).queueUrl();
    WizardEnvironment.configure(aws, queue);
    api = new ApiClient();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", Map.of("host", "127.0.0.1", "port", sim.port()));
    Map<String, String> pins = new LinkedHashMap<>();
    for (String n : List.of("pve1", "pve2", "pve3")) {
      pins.put(n, sim.fingerprint(n));
    }
    m.put("tls", Map.of("pinnedFingerprints", pins));
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private record Step(String name, long medianMillis, long requests) {}

  private Step measure(String name, IntFunction<ApiClient.Response> call) {
    List<Long> millis = new ArrayList<>();
    long requests = 0;
    for (int i = 0; i < RUNS; i++) {
      sim.resetRequestCounts();
      long start = System.nanoTime();
      ApiClient.Response r = call.apply(i);
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertThat(r.status()).as(name + " " + r.body()).isBetween(200, 299);
      requests = sim.requestCount();
    }
    millis.sort(Long::compare);
    return new Step(name, millis.get(RUNS / 2), requests);
  }

  @Test
  void eachStepsLatencyWith20MsPerProxmoxRequest() {
    Map<String, Object> token =
        Map.of("tokenId", auditor.fullId(), "tokenSecret", auditor.secret());
    // Warm up the function (Spring, TLS, KMS clients) outside the measurement.
    api.call("acme", "POST", "/api/check", body("credentials", token));
    sim.faults().latency(Duration.ofMillis(20));

    List<Step> steps = new ArrayList<>();
    steps.add(measure("probe", i -> api.call("acme", "POST", "/api/probe", body())));
    steps.add(
        measure("check", i -> api.call("acme", "POST", "/api/check", body("credentials", token))));
    steps.add(
        measure(
            "mint",
            i ->
                api.call(
                    "acme",
                    "POST",
                    "/api/mint",
                    body(
                        "connectionId",
                        "mint" + i,
                        "login",
                        Map.of("username", "root@pam", "password", sim.rootPassword()),
                        "tokenName",
                        "bench" + i,
                        "features",
                        List.of("DISCOVERY")))));
    steps.add(measure("preview", i -> api.previewToEnd("acme", body("credentials", token))));
    steps.add(
        measure(
            "save",
            i ->
                api.call(
                    "acme",
                    "POST",
                    "/api/connections",
                    body("connectionId", "bench" + i, "name", "Bench", "credentials", token))));
    steps.add(
        measure(
            "re-pin plan",
            i -> api.call("acme", "POST", "/api/connections/bench0/repin/plan", null)));
    steps.add(
        measure("run now", i -> api.call("acme", "POST", "/api/connections/bench0/run", null)));
    steps.add(measure("list", i -> api.call("acme", "GET", "/api/connections", null)));

    StringBuilder table =
        new StringBuilder("wizard step latency, 20 ms per Proxmox request (median of 5):\n");
    for (Step s : steps) {
      table.append(
          String.format(
              "  %-12s %6d ms  %3d Proxmox requests%n", s.name(), s.medianMillis(), s.requests()));
    }
    System.out.print(table);

    Map<String, Long> requests = new LinkedHashMap<>();
    steps.forEach(s -> requests.put(s.name(), s.requests()));
    assertThat(requests.get("probe")).isZero();
    assertThat(requests.get("run now")).isZero();
    assertThat(requests.get("list")).isZero();
    assertThat(requests.get("check")).isBetween(5L, 10L);
    assertThat(requests.get("save")).isEqualTo(1L);
    assertThat(requests.get("re-pin plan")).isEqualTo(1L);
    assertThat(requests.get("mint")).isLessThanOrEqualTo(20L);
  }
}
