package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class VersionProfilesTest {

  private static void on(PveVersion version, Consumer<SimClient> body) {
    try (PveSimulator sim =
        PveSimulator.start(
            SimulatorConfig.demo().withVersion(version).withAuthFailureDelay(Duration.ZERO))) {
      body.accept(
          SimClient.withToken(sim, sim.createToken("root@pam", "v", Roles.ADMINISTRATOR, false)));
    }
  }

  @Test
  void versionReportsTheReleaseInEachProfilesOwnFormat() {
    on(
        PveVersion.V7_4,
        api ->
            assertThat(api.get("/version").data().get("version").asString()).isEqualTo("7.4-16"));
    on(
        PveVersion.V9_1,
        api -> {
          JsonNode v = api.get("/version").data();
          assertThat(v.get("release").asString()).isEqualTo("9.1");
          assertThat(v.get("version").asString()).matches("9\\.1\\.\\d+");
        });
    assertThat(PveVersion.parse("8.x")).isEqualTo(PveVersion.V8_4);
    assertThat(PveVersion.parse("7.4")).isEqualTo(PveVersion.V7_4);
  }

  @Test
  void poolsAreFlatWithoutPoolidQueriesOn74AndNestedWithPoolidQueriesFrom81() {
    on(
        PveVersion.V7_4,
        api -> {
          assertThat(ids(api.get("/pools").data(), "poolid"))
              .containsExactlyInAnyOrder("prod", "web", "db", "dev");
          SimClient.Answer byId = api.get("/pools", Map.of("poolid", "prod"));
          assertThat(byId.status()).isEqualTo(400);
          assertThat(byId.body().at("/errors/poolid").asString()).contains("not defined in schema");
          assertThat(api.call("PUT", "/pools", Map.of("poolid", "prod", "comment", "x")).status())
              .isEqualTo(501);
          assertThat(api.get("/pools/web").data().get("members")).isNotEmpty();
        });
    on(
        PveVersion.V8_1,
        api -> {
          assertThat(ids(api.get("/pools").data(), "poolid")).contains("prod/web", "prod/db");
          JsonNode web = api.get("/pools", Map.of("poolid", "prod/web")).data();
          assertThat(web).hasSize(1);
          assertThat(ids(web.get(0).get("members"), "id"))
              .containsExactlyInAnyOrder("qemu/101", "qemu/102");
          assertThat(api.get("/pools/prod%2Fweb").status()).isEqualTo(400);
        });
  }

  @Test
  void qemuMemoryIsANumberBefore81AndAPropertyStringFrom81() {
    on(
        PveVersion.V8_0,
        api ->
            assertThat(
                    api.get("/nodes/pve1/qemu/101/config").data().get("memory").isIntegralNumber())
                .isTrue());
    on(
        PveVersion.V8_1,
        api ->
            assertThat(api.get("/nodes/pve1/qemu/101/config").data().get("memory").isString())
                .isTrue());
  }

  @Test
  void pve91PublishesNetworkRowsInsteadOfSdnRowsEvenForTypeSdn() {
    on(
        PveVersion.V8_4,
        api -> {
          assertThat(types(api.get("/cluster/resources").data()))
              .contains("sdn")
              .doesNotContain("network");
          assertThat(api.get("/cluster/resources", Map.of("type", "sdn")).data()).isNotEmpty();
        });
    on(
        PveVersion.V9_1,
        api -> {
          JsonNode rows = api.get("/cluster/resources").data();
          assertThat(types(rows)).contains("network").doesNotContain("sdn");
          assertThat(ids(rows, "id")).contains("network/pve1/zone/simple1");
          assertThat(api.get("/cluster/resources", Map.of("type", "sdn")).data()).isEmpty();
        });
  }

  @Test
  void lxcInterfacesAppearIn81AndGainHardwareAddressesIn84() {
    on(
        PveVersion.V8_0,
        api -> assertThat(api.get("/nodes/pve1/lxc/200/interfaces").status()).isEqualTo(501));
    on(
        PveVersion.V8_1,
        api -> {
          JsonNode eth0 = api.get("/nodes/pve1/lxc/200/interfaces").data().get(1);
          assertThat(eth0.get("hwaddr").asString()).startsWith("bc:24:11:");
          assertThat(eth0.has("hardware-address")).isFalse();
        });
    on(
        PveVersion.V8_4,
        api -> {
          JsonNode eth0 = api.get("/nodes/pve1/lxc/200/interfaces").data().get(1);
          assertThat(eth0.get("hardware-address").asString())
              .isEqualTo(eth0.get("hwaddr").asString());
          assertThat(eth0.get("ip-addresses")).hasSize(2);
        });
  }

  @Test
  void metricsExportExistsFrom84AndIsNotImplementedBefore() {
    on(
        PveVersion.V8_1,
        api -> assertThat(api.get("/cluster/metrics/export").status()).isEqualTo(501));
    on(
        PveVersion.V8_4,
        api -> {
          JsonNode data = api.get("/cluster/metrics/export").data().get("data");
          assertThat(ids(data, "metric")).contains("cpu_current", "net_in");
          assertThat(ids(data, "id")).contains("qemu/101", "node/pve1");
        });
  }

  @Test
  void errorBodiesCarryAMessageFrom84AndTheReasonPhraseAlways() {
    on(
        PveVersion.V7_4,
        api -> {
          SimClient.Answer a = api.get("/nodes/pve1/qemu/999/config");
          assertThat(a.status()).isEqualTo(500);
          assertThat(a.reason()).contains("999.conf' does not exist");
          assertThat(a.body().has("message")).isFalse();
          assertThat(a.data().isNull()).isTrue();
        });
    on(
        PveVersion.V8_4,
        api -> {
          SimClient.Answer a = api.get("/nodes/pve1/qemu/999/config");
          assertThat(a.body().get("message").asString()).isEqualTo(a.reason() + "\n");
        });
  }

  @Test
  void rrdResolutionFollowsTheVersionAndDecadeExistsOnlyOn9() {
    on(
        PveVersion.V8_4,
        api -> {
          assertThat(api.get("/nodes/pve1/rrddata", Map.of("timeframe", "day")).data()).hasSize(70);
          assertThat(api.get("/nodes/pve1/rrddata", Map.of("timeframe", "decade")).status())
              .isEqualTo(400);
        });
    on(
        PveVersion.V9_1,
        api -> {
          JsonNode day = api.get("/nodes/pve1/rrddata", Map.of("timeframe", "day")).data();
          assertThat(day).hasSize(1440);
          assertThat(day.get(0).has("memavailable")).isTrue();
          assertThat(api.get("/nodes/pve1/rrddata", Map.of("timeframe", "decade")).data())
              .hasSize(570);
          assertThat(
                  api.get("/nodes/pve1/qemu/101/rrddata", Map.of("timeframe", "hour"))
                      .data()
                      .get(0)
                      .has("memhost"))
              .isTrue();
        });
  }

  static List<String> ids(JsonNode rows, String field) {
    return rows.valueStream().map(r -> r.get(field).asString()).toList();
  }

  static List<String> types(JsonNode rows) {
    return ids(rows, "type").stream().distinct().toList();
  }
}
