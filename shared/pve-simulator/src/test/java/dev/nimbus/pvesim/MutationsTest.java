package dev.nimbus.pvesim;

import static dev.nimbus.pvesim.FaultsTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MutationsTest {
  private PveSimulator sim;
  private ApiToken token;
  private SimClient api;

  @BeforeEach
  void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    token = sim.createToken("alice@pve", "ops", Roles.ADMINISTRATOR, true);
    api = SimClient.withToken(sim, token);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void aConfigChangeChecksTheDigestAndChangesIt() {
    String digest = api.get("/nodes/pve1/qemu/101/config").data().get("digest").asString();
    SimClient.Answer stale =
        api.call(
            "PUT",
            "/nodes/pve1/qemu/101/config",
            Map.of("name", "web-x", "digest", "0".repeat(40)));
    assertThat(stale.status()).isEqualTo(500);
    assertThat(stale.reason()).startsWith("detected modified configuration");

    SimClient.Answer ok =
        api.call(
            "PUT",
            "/nodes/pve1/qemu/101/config",
            Map.of("name", "web-renamed", "tags", "Prod,Zeta;alpha", "digest", digest));
    assertThat(ok.status()).isEqualTo(200);
    JsonNode config = api.get("/nodes/pve1/qemu/101/config").data();
    assertThat(config.get("digest").asString()).isNotEqualTo(digest);
    assertThat(config.get("tags").asString()).isEqualTo("alpha;prod;zeta");
    JsonNode resource = row(api.get("/cluster/resources").data(), "qemu/101");
    assertThat(resource.get("name").asString()).isEqualTo("web-renamed");
  }

  @Test
  void theAsyncConfigUpdateReturnsAQmconfigUpidWhoseStatusIsFinished() {
    String upid =
        api.call("POST", "/nodes/pve1/qemu/101/config", Map.of("cores", "4")).data().asString();
    assertThat(upid)
        .matches("UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmconfig:101:alice@pve!ops:");
    JsonNode status = api.get("/nodes/pve1/tasks/" + upid + "/status").data();
    assertThat(status.get("status").asString()).isEqualTo("stopped");
    assertThat(status.get("exitstatus").asString()).isEqualTo("OK");
    assertThat(api.get("/nodes/pve1/qemu/101/config").data().get("cores").asInt()).isEqualTo(4);
    // With background_delay the finished worker answers null instead of its UPID.
    assertThat(
            api.call(
                    "POST",
                    "/nodes/pve1/qemu/101/config",
                    Map.of("cores", "2", "background_delay", "5"))
                .data()
                .isNull())
        .isTrue();
  }

  @Test
  void coldPlugChangesToARunningVmBecomePendingUntilItStartsAgain() {
    api.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("sockets", "2"));
    assertThat(
            api.get("/nodes/pve1/qemu/101/config", Map.of("current", "1"))
                .data()
                .get("sockets")
                .asInt())
        .isEqualTo(1);
    assertThat(api.get("/nodes/pve1/qemu/101/config").data().get("sockets").asInt()).isEqualTo(2);
    JsonNode pending = api.get("/nodes/pve1/qemu/101/pending").data();
    assertThat(
            pending
                .valueStream()
                .filter(p -> p.get("key").asString().equals("sockets"))
                .findFirst()
                .orElseThrow()
                .get("pending")
                .asString())
        .isEqualTo("2");
    api.call("POST", "/nodes/pve1/qemu/101/status/stop", Map.of());
    assertThat(
            api.get("/nodes/pve1/qemu/101/config", Map.of("current", "1"))
                .data()
                .get("sockets")
                .asInt())
        .isEqualTo(1);
    api.call("POST", "/nodes/pve1/qemu/101/status/start", Map.of());
    assertThat(
            api.get("/nodes/pve1/qemu/101/config", Map.of("current", "1"))
                .data()
                .get("sockets")
                .asInt())
        .isEqualTo(2);
    assertThat(api.get("/nodes/pve1/qemu/101/pending").data().valueStream())
        .noneMatch(p -> p.has("pending") || p.has("delete"));
  }

  @Test
  void invalidOptionsAreRejectedWithParameterErrors() {
    SimClient.Answer bad = api.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("bogus", "1"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.reason()).isEqualTo("Parameter verification failed.");
    assertThat(bad.body().at("/errors/bogus").asString()).contains("not defined in schema");
    assertThat(api.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("memory", "abc")).status())
        .isEqualTo(400);
  }

  @Test
  void guestsAreCreatedMigratedAndDeletedWithTheirTasks() {
    String created =
        api.call(
                "POST",
                "/nodes/pve2/qemu",
                Map.of("vmid", "700", "name", "fresh", "memory", "2048"))
            .data()
            .asString();
    assertThat(created).contains(":qmcreate:700:alice@pve!ops:");
    assertThat(row(api.get("/cluster/resources").data(), "qemu/700").get("maxmem").asLong())
        .isEqualTo(2048L << 20);

    SimClient.Answer running =
        api.call("POST", "/nodes/pve1/qemu/101/migrate", Map.of("target", "pve3"));
    assertThat(running.reason()).isEqualTo("can't migrate running VM without --online");
    String migrated =
        api.call("POST", "/nodes/pve1/qemu/101/migrate", Map.of("target", "pve3", "online", "1"))
            .data()
            .asString();
    assertThat(migrated).contains(":qmigrate:101:");
    assertThat(row(api.get("/cluster/resources").data(), "qemu/101").get("node").asString())
        .isEqualTo("pve3");
    assertThat(api.get("/nodes/pve1/qemu/101/config").status()).isEqualTo(500);
    assertThat(api.get("/nodes/pve3/qemu/101/config").status()).isEqualTo(200);

    String deleted = api.call("DELETE", "/nodes/pve2/qemu/700", Map.of()).data().asString();
    assertThat(deleted).contains(":qmdestroy:700:");
    assertThat(api.get("/cluster/resources").data().valueStream().map(r -> r.get("id").asString()))
        .doesNotContain("qemu/700");

    String ct =
        api.call(
                "POST",
                "/nodes/pve1/lxc",
                Map.of(
                    "vmid", "701", "hostname", "c1", "ostemplate", "local:vztmpl/debian.tar.zst"))
            .data()
            .asString();
    assertThat(ct).contains(":vzcreate:701:");
  }

  @Test
  void poolsAreCreatedNestedAndUpdatedWithMembers() {
    assertThat(api.call("POST", "/pools", Map.of("poolid", "team/app", "comment", "x")).status())
        .isEqualTo(500);
    assertThat(api.call("POST", "/pools", Map.of("poolid", "team")).status()).isEqualTo(200);
    assertThat(api.call("POST", "/pools", Map.of("poolid", "team/app")).status()).isEqualTo(200);
    assertThat(
            api.call(
                    "PUT",
                    "/pools",
                    Map.of("poolid", "team/app", "vms", "9000,202", "comment", "apps"))
                .status())
        .isEqualTo(200);
    JsonNode pool = api.get("/pools", Map.of("poolid", "team/app")).data().get(0);
    assertThat(pool.get("comment").asString()).isEqualTo("apps");
    assertThat(VersionProfilesTest.ids(pool.get("members"), "id"))
        .containsExactlyInAnyOrder("qemu/9000", "lxc/202");
    assertThat(row(api.get("/cluster/resources").data(), "lxc/202").get("pool").asString())
        .isEqualTo("team/app");
    assertThat(api.call("PUT", "/pools", Map.of("poolid", "team/app", "vms", "101")).reason())
        .contains("belongs already to pool");
  }

  @Test
  void aCreatedTokenValueIsShownOnceAndWorksUntilDeleted() {
    JsonNode created =
        api.call("POST", "/access/users/alice@pve/token/second", Map.of("privsep", "0")).data();
    String value = created.get("value").asString();
    assertThat(created.get("full-tokenid").asString()).isEqualTo("alice@pve!second");
    assertThat(api.get("/access/users/alice@pve/token/second").data().has("value")).isFalse();
    assertThat(VersionProfilesTest.ids(api.get("/access/users/alice@pve/token").data(), "tokenid"))
        .contains("ops", "second");

    SimClient second = SimClient.withToken(sim, new ApiToken("alice@pve", "second", value));
    assertThat(second.get("/cluster/status").status()).isEqualTo(200);
    assertThat(api.call("DELETE", "/access/users/alice@pve/token/second", Map.of()).status())
        .isEqualTo(200);
    assertThat(second.get("/version").status()).isEqualTo(401);
  }

  @Test
  void theAdminApiChangesStateLikeTheUiAndLeavesTheSameTraces() {
    String before = sim.cluster().guest(103).digest();
    Task task = sim.admin().changeGuestConfig(103, "memory", "12288", "bob@pve");
    assertThat(sim.cluster().guest(103).digest()).isNotEqualTo(before);
    assertThat(api.get("/cluster/tasks").data().get(0).get("upid").asString())
        .isEqualTo(task.upid());
    assertThat(task.user()).isEqualTo("bob@pve");
    // 103 runs without memory hotplug: the new size applies at the next start.
    sim.admin().reboot(103, "bob@pve");

    sim.admin().migrateGuest(103, "pve1", "bob@pve");
    sim.admin().startStop(200, false, "bob@pve");
    sim.admin().createVm("pve2", 800, "drifted", "bob@pve");
    sim.admin().deleteGuest(105, "bob@pve");
    sim.admin().renamePool("dev", "development");
    sim.admin().addPoolMember("development", 800);
    JsonNode rows = api.get("/cluster/resources").data();
    assertThat(row(rows, "qemu/103").get("node").asString()).isEqualTo("pve1");
    assertThat(row(rows, "qemu/103").get("maxmem").asLong()).isEqualTo(12288L << 20);
    assertThat(row(rows, "lxc/200").get("status").asString()).isEqualTo("stopped");
    assertThat(row(rows, "qemu/800").get("pool").asString()).isEqualTo("development");
    assertThat(row(rows, "qemu/104").get("pool").asString()).isEqualTo("development");
    assertThat(rows.valueStream().map(r -> r.get("id").asString()))
        .doesNotContain("qemu/105", "/pool/dev");
    assertThat(VersionProfilesTest.ids(api.get("/cluster/tasks").data(), "type"))
        .contains("qmigrate", "vzstop", "qmcreate", "qmdestroy");
  }

  @Test
  void aCorruptedConfigIsServedAsIsForMalformedResponseTests() {
    sim.admin().corruptGuestConfig(102, "memory", "abc");
    sim.admin().corruptGuestConfig(102, "net0", "garbage");
    JsonNode config = api.get("/nodes/pve2/qemu/102/config").data();
    assertThat(config.get("memory").asString()).isEqualTo("abc");
    assertThat(config.get("net0").asString()).isEqualTo("garbage");
    assertThat(api.get("/cluster/resources").status()).isEqualTo(200);
  }

  @Test
  void guestAgentCallsAnswerTheRealErrorsWhenTheAgentIsMissingOrNotRunning() {
    try (PveSimulator pve9 =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO))) {
      SimClient root =
          SimClient.withToken(pve9, pve9.createToken("root@pam", "a", Roles.ADMINISTRATOR, false));
      assertThat(root.get("/nodes/pve3/qemu/105/agent/get-fsinfo").reason())
          .isEqualTo("QEMU guest agent is not running");
      assertThat(root.get("/nodes/pve3/qemu/104/agent/network-get-interfaces").reason())
          .isEqualTo("No QEMU guest agent configured");
      JsonNode fs = root.get("/nodes/pve1/qemu/101/agent/get-fsinfo").data().get("result");
      assertThat(fs.get(0).get("mountpoint").asString()).isEqualTo("/");
    }
  }
}
