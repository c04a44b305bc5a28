package dev.nimbus.pvesim;

import static dev.nimbus.pvesim.FaultsTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The traces a config change leaves, as on real Proxmox VE: a synchronous QEMU {@code PUT} writes a
 * cluster log line and no task, the asynchronous {@code POST} both, an LXC change and a firewall
 * edit neither; {@code /cluster/log} shows every line only with Sys.Syslog on {@code /}; a running
 * VM keeps what it cannot take live as pending until it starts again.
 */
class ConfigTracesTest {
  private PveSimulator sim;
  private SimClient admin;
  private SimClient ops;

  @BeforeEach
  void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
    admin =
        SimClient.withToken(sim, sim.createToken("root@pam", "admin", Roles.ADMINISTRATOR, false));
    // A VM administrator: may change guests, holds no Sys.Syslog.
    ops = SimClient.withToken(sim, sim.createToken("ops@pve", "cli", Roles.PVE_VM_ADMIN, true));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private List<String> taskTypes() {
    return VersionProfilesTest.ids(admin.get("/cluster/tasks").data(), "type");
  }

  private List<JsonNode> log(SimClient client, Map<String, String> params) {
    SimClient.Answer answer = client.get("/cluster/log", params);
    assertThat(answer.status()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    answer.data().forEach(out::add);
    return out;
  }

  private static List<String> messages(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("msg").asString()).toList();
  }

  @Test
  void aSynchronousQemuUpdateWritesALogLineAndNoTask() {
    int tasks = admin.get("/cluster/tasks").data().size();
    long before = sim.cluster().now();

    SimClient.Answer put =
        ops.call(
            "PUT",
            "/nodes/pve1/qemu/101/config",
            Map.of("name", "web-one", "memory", "4096", "delete", "description"));

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.data().isNull()).isTrue();
    assertThat(admin.get("/cluster/tasks").data().size()).isEqualTo(tasks);
    JsonNode line = log(admin, Map.of("max", "1")).getFirst();
    assertThat(line.get("msg").asString())
        .isEqualTo("update VM 101: -delete description -memory 4096 -name web-one");
    assertThat(line.get("user").asString()).isEqualTo("ops@pve!cli");
    assertThat(line.get("node").asString()).isEqualTo("pve1");
    assertThat(line.get("tag").asString()).isEqualTo("pvedaemon");
    assertThat(line.get("pri").asInt()).isEqualTo(6);
    assertThat(line.get("pid").asLong()).isPositive();
    assertThat(line.get("uid").asLong()).isPositive();
    assertThat(line.get("time").asLong()).isBetween(before, sim.cluster().now());
    assertThat(new ArrayList<>(line.propertyNames()))
        .containsExactly("uid", "time", "pri", "tag", "pid", "node", "user", "msg");
  }

  @Test
  void theAsynchronousQemuUpdateRunsAQmconfigTaskAndLogsTheUpdateAndTheTask() {
    String upid =
        ops.call(
                "POST", "/nodes/pve1/qemu/101/config", Map.of("cipassword", "s3cret", "cores", "4"))
            .data()
            .asString();

    assertThat(upid).contains(":qmconfig:101:ops@pve!cli:");
    assertThat(taskTypes().getFirst()).isEqualTo("qmconfig");
    assertThat(messages(log(admin, Map.of("max", "3"))))
        .containsExactly(
            "end task " + upid + " OK",
            "starting task " + upid,
            "update VM 101: -cipassword <hidden> -cores 4");
  }

  @Test
  void containerUpdatesAndFirewallEditsLeaveNeitherTaskNorLogLine() {
    int tasks = admin.get("/cluster/tasks").data().size();
    int lines = log(admin, Map.of("max", "5000")).size();

    assertThat(ops.call("PUT", "/nodes/pve1/lxc/200/config", Map.of("memory", "2048")).status())
        .isEqualTo(200);
    assertThat(
            admin.call("PUT", "/cluster/firewall/options", Map.of("policy_in", "ACCEPT")).status())
        .isEqualTo(200);
    sim.admin().editGuestConfig(201, "cores", "4", "alice@pve");
    assertThat(sim.admin().changeGuestConfig(201, "swap", "1024", "alice@pve")).isNull();

    assertThat(admin.get("/cluster/tasks").data().size()).isEqualTo(tasks);
    assertThat(log(admin, Map.of("max", "5000"))).hasSize(lines);
    assertThat(admin.get("/nodes/pve1/lxc/200/config").data().get("memory").asInt())
        .isEqualTo(2048);
    assertThat(row(admin.get("/cluster/resources").data(), "lxc/201").get("maxcpu").asInt())
        .isEqualTo(4);
  }

  @Test
  void withoutSysSyslogACallerSeesOnlyItsOwnLinesAndMaxLimitsTheAnswer() {
    sim.admin().editGuestConfig(103, "description", "by bob", "bob@pve");
    ops.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("description", "by ops"));
    ops.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("onboot", "1"));

    assertThat(messages(log(ops, Map.of())))
        .containsExactly("update VM 101: -onboot 1", "update VM 101: -description by ops");
    assertThat(messages(log(admin, Map.of("max", "3"))))
        .containsExactly(
            "update VM 101: -onboot 1",
            "update VM 101: -description by ops",
            "update VM 103: -description by bob");
    assertThat(log(admin, Map.of("max", "2"))).hasSize(2);
    // The demo's own start tasks are in the log too: more than the default 50 lines are kept.
    for (int i = 0; i < 60; i++) {
      sim.admin().editGuestConfig(103, "description", "round " + i, "bob@pve");
    }
    assertThat(log(admin, Map.of())).hasSize(50);
    assertThat(log(admin, Map.of("max", "55"))).hasSize(55);

    // A custom role with Sys.Syslog on / opens every line to an otherwise read-only token.
    sim.admin().createRole("NimbusDiscovery", "Sys.Audit", "VM.Audit", "Sys.Syslog");
    ApiToken reader =
        sim.createToken(
            "nimbus@pve",
            "discovery",
            true,
            Acl.of("/", "nimbus@pve", "NimbusDiscovery"),
            Acl.of("/", "nimbus@pve!discovery", "NimbusDiscovery"));
    assertThat(log(SimClient.withToken(sim, reader), Map.of("max", "3")))
        .extracting(l -> l.get("user").asString())
        .containsExactly("bob@pve", "bob@pve", "bob@pve");
    ApiToken auditor = sim.createToken("audit@pve", "ro", Roles.PVE_AUDITOR, true);
    assertThat(log(SimClient.withToken(sim, auditor), Map.of())).isEmpty();

    SimClient.Answer zero = admin.get("/cluster/log", Map.of("max", "0"));
    assertThat(zero.status()).isEqualTo(400);
    assertThat(zero.body().at("/errors/max").asString()).contains("minimum value of 1");
    assertThat(admin.get("/cluster/log", Map.of("max", "many")).status()).isEqualTo(400);
  }

  @Test
  void aRunningVmKeepsWhatItCannotTakeLiveAsPendingUntilItsNextStart() {
    // VM 101 runs with the default hotplug (network, disk, usb): no memory or CPU hotplug.
    JsonNode current = admin.get("/nodes/pve1/qemu/101/config", Map.of("current", "1")).data();
    String memory = current.get("memory").asString();
    int cores = current.get("cores").asInt();
    long maxmem = row(admin.get("/cluster/resources").data(), "qemu/101").get("maxmem").asLong();

    ops.call(
        "PUT",
        "/nodes/pve1/qemu/101/config",
        Map.of("memory", "6144", "cores", "6", "name", "web-live", "delete", "agent"));

    JsonNode now = admin.get("/nodes/pve1/qemu/101/config", Map.of("current", "1")).data();
    assertThat(now.get("memory").asString()).isEqualTo(memory);
    assertThat(now.get("cores").asInt()).isEqualTo(cores);
    assertThat(now.get("name").asString()).isEqualTo("web-live");
    assertThat(now.has("agent")).isTrue();
    JsonNode withPending = admin.get("/nodes/pve1/qemu/101/config").data();
    assertThat(withPending.get("memory").asString()).isEqualTo("6144");
    assertThat(withPending.get("cores").asInt()).isEqualTo(6);
    assertThat(withPending.has("agent")).isFalse();
    Map<String, JsonNode> pending = byKey(admin.get("/nodes/pve1/qemu/101/pending").data());
    assertThat(pending.get("memory").get("value").asString()).isEqualTo(memory);
    assertThat(pending.get("memory").get("pending").asString()).isEqualTo("6144");
    assertThat(pending.get("cores").get("pending").asString()).isEqualTo("6");
    assertThat(pending.get("agent").get("delete").asInt()).isEqualTo(1);
    assertThat(pending.get("name").has("pending")).isFalse();
    // The resources row describes what runs.
    assertThat(row(admin.get("/cluster/resources").data(), "qemu/101").get("maxmem").asLong())
        .isEqualTo(maxmem);

    // revert drops one pending change; a stop keeps the rest pending; the reboot applies them.
    ops.call("PUT", "/nodes/pve1/qemu/101/config", Map.of("revert", "cores"));
    assertThat(byKey(admin.get("/nodes/pve1/qemu/101/pending").data()).get("cores").has("pending"))
        .isFalse();
    String reboot =
        ops.call("POST", "/nodes/pve1/qemu/101/status/reboot", Map.of()).data().asString();
    assertThat(reboot).contains(":qmreboot:101:ops@pve!cli:");
    JsonNode applied = admin.get("/nodes/pve1/qemu/101/config", Map.of("current", "1")).data();
    assertThat(applied.get("memory").asString()).isEqualTo("6144");
    assertThat(applied.get("cores").asInt()).isEqualTo(cores);
    assertThat(applied.has("agent")).isFalse();
    assertThat(row(admin.get("/cluster/resources").data(), "qemu/101").get("maxmem").asLong())
        .isEqualTo(6144L << 20);
    assertThat(admin.get("/nodes/pve1/qemu/101/pending").data().valueStream())
        .noneMatch(p -> p.has("pending") || p.has("delete"));
  }

  @Test
  void hotplugSettingsDecideWhatARunningVmTakesLiveAndAStoppedVmTakesEverything() {
    // Memory hotplug on: the new size applies at once.
    sim.admin().editGuestConfig(103, "hotplug", "network,disk,usb,memory,cpu", "root@pam");
    sim.admin().editGuestConfig(103, "memory", "16384", "root@pam");
    sim.admin().editGuestConfig(103, "vcpus", "2", "root@pam");
    JsonNode db = admin.get("/nodes/pve2/qemu/103/config", Map.of("current", "1")).data();
    assertThat(db.get("memory").asString()).isEqualTo("16384");
    assertThat(db.get("vcpus").asInt()).isEqualTo(2);
    // sockets are never hot-pluggable.
    sim.admin().editGuestConfig(103, "sockets", "4", "root@pam");
    assertThat(
            admin
                .get("/nodes/pve2/qemu/103/config", Map.of("current", "1"))
                .data()
                .path("sockets")
                .asInt(1))
        .isNotEqualTo(4);
    assertThat(
            byKey(admin.get("/nodes/pve2/qemu/103/pending").data())
                .get("sockets")
                .get("pending")
                .asString())
        .isEqualTo("4");

    // VM 104 is stopped: everything applies at once, nothing stays pending.
    ops.call("PUT", "/nodes/pve3/qemu/104/config", Map.of("cores", "8", "sockets", "2"));
    JsonNode win = admin.get("/nodes/pve3/qemu/104/config", Map.of("current", "1")).data();
    assertThat(win.get("cores").asInt()).isEqualTo(8);
    assertThat(win.get("sockets").asInt()).isEqualTo(2);
    assertThat(admin.get("/nodes/pve3/qemu/104/pending").data().valueStream())
        .noneMatch(p -> p.has("pending"));
  }

  @Test
  void aStandaloneNodeHasNoClusterRowAndStillAnswersTheClusterWideEndpoints() {
    try (PveSimulator solo =
        PveSimulator.start(
            SimulatorConfig.standalone("homelab").withAuthFailureDelay(Duration.ZERO))) {
      SimClient root =
          SimClient.withToken(solo, solo.createToken("root@pam", "t", Roles.ADMINISTRATOR, false));
      JsonNode status = root.get("/cluster/status").data();
      assertThat(status).hasSize(1);
      JsonNode node = status.get(0);
      assertThat(node.get("type").asString()).isEqualTo("node");
      assertThat(node.get("name").asString()).isEqualTo("homelab");
      assertThat(node.get("id").asString()).isEqualTo("node/homelab");
      assertThat(node.get("nodeid").asInt()).isZero();
      assertThat(node.get("local").asInt()).isEqualTo(1);
      assertThat(node.get("online").asInt()).isEqualTo(1);
      assertThat(solo.cluster().standalone()).isTrue();

      JsonNode resources = root.get("/cluster/resources").data();
      assertThat(VersionProfilesTest.ids(resources, "id"))
          .contains("node/homelab", "qemu/100", "qemu/101", "lxc/200", "storage/homelab/local-lvm")
          .doesNotContain("storage/homelab/ceph-vm");
      assertThat(root.get("/nodes").data()).hasSize(1);
      assertThat(root.get("/nodes/homelab/qemu/100/config").status()).isEqualTo(200);
      assertThat(root.get("/cluster/log").status()).isEqualTo(200);
      SimClient.Answer login =
          new SimClient(solo.baseUri(), solo.trustingSslContext())
              .call(
                  "POST",
                  "/access/ticket",
                  Map.of("username", "root@pam", "password", solo.rootPassword()));
      assertThat(login.data().has("ticket")).isTrue();
      assertThat(login.data().has("clustername")).isFalse();
    }
  }

  @Test
  void tlsHandshakesAreCountedSoConnectionReuseIsVisible() throws Exception {
    ApiToken token = sim.createToken("root@pam", "tls", Roles.ADMINISTRATOR, false);
    javax.net.ssl.SSLSocketFactory factory = sim.trustingSslContext().getSocketFactory();
    sim.resetRequestCounts();
    for (int i = 0; i < 5; i++) {
      javax.net.ssl.HttpsURLConnection c =
          (javax.net.ssl.HttpsURLConnection)
              java.net.URI.create(sim.baseUri() + "/version").toURL().openConnection();
      c.setSSLSocketFactory(factory);
      c.setRequestProperty("Authorization", token.authorizationHeader());
      try (var in = c.getInputStream()) {
        in.readAllBytes();
      }
    }
    // One socket factory, one keep-alive connection: five requests, one handshake.
    assertThat(sim.requestCount()).isEqualTo(5);
    assertThat(sim.tlsHandshakes()).isEqualTo(1);
    // A new connection is a new handshake (a raw socket: the JDK's keep-alive cache may hand an
    // HttpsURLConnection the pooled connection whatever its socket factory).
    java.net.URI base = java.net.URI.create(sim.baseUri().toString());
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            sim.trustingSslContext()
                .getSocketFactory()
                .createSocket(base.getHost(), base.getPort())) {
      socket.startHandshake();
      // TLS 1.3: the server completes its side when it reads the client's Finished message.
      socket
          .getOutputStream()
          .write("GET /api2/json/version HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      socket.getOutputStream().flush();
      socket.getInputStream().read();
    }
    // The server learns of a completed handshake through an asynchronous listener: wait for it.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (sim.tlsHandshakes() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sim.tlsHandshakes()).isEqualTo(2);
  }

  private static Map<String, JsonNode> byKey(JsonNode rows) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    rows.forEach(r -> out.put(r.get("key").asString(), r));
    return out;
  }
}
