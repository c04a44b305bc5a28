package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuthorizationTest {
  private PveSimulator sim;

  @BeforeEach
  void start() {
    sim = PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ZERO));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private SimClient as(String user, String role) {
    return SimClient.withToken(sim, sim.createToken(user, "t", role, true));
  }

  private static Map<String, String> description(String text) {
    return Map.of("description", text);
  }

  @Test
  void anAuditorReadsEverythingButCannotChangeAConfig() {
    SimClient auditor = as("auditor@pve", Roles.PVE_AUDITOR);
    assertThat(auditor.get("/nodes/pve1/qemu/101/config").status()).isEqualTo(200);
    assertThat(auditor.get("/cluster/firewall/rules").status()).isEqualTo(200);
    SimClient.Answer put = auditor.call("PUT", "/nodes/pve1/qemu/101/config", description("x"));
    assertThat(put.status()).isEqualTo(403);
    assertThat(put.reason()).isEqualTo("Permission check failed (/vms/101, VM.Config.Options)");
    assertThat(put.data().isNull()).isTrue();
  }

  @Test
  void aVmAdminChangesAConfigButCannotReadNodeStatus() {
    SimClient vmAdmin = as("ops@pve", Roles.PVE_VM_ADMIN);
    String before = sim.cluster().guest(101).digest();
    assertThat(vmAdmin.call("PUT", "/nodes/pve1/qemu/101/config", description("by ops")).status())
        .isEqualTo(200);
    assertThat(sim.cluster().guest(101).digest()).isNotEqualTo(before);
    assertThat(vmAdmin.get("/nodes/pve1/status").reason())
        .isEqualTo("Permission check failed (/nodes/pve1, Sys.Audit)");
  }

  @Test
  void aPrivilegeSeparatedTokenWithoutAclsSeesOnlyBareNodeRows() {
    sim.admin().grant(Acl.of("/", "bob@pve", Roles.PVE_AUDITOR));
    ApiToken token = sim.createToken("bob@pve", "noacl", true);
    SimClient bob = SimClient.withToken(sim, token);
    JsonNode rows = bob.get("/cluster/resources").data();
    assertThat(rows).hasSize(3);
    for (JsonNode r : rows) {
      assertThat(r.get("type").asString()).isEqualTo("node");
      assertThat(r.propertyNames()).containsExactlyInAnyOrder("id", "type", "node", "status");
    }
    assertThat(bob.get("/nodes/pve1/qemu").data()).isEmpty();
    assertThat(bob.get("/pools").data()).isEmpty();
    assertThat(bob.get("/nodes/pve1/qemu/101/config").status()).isEqualTo(403);
  }

  @Test
  void noAccessOnOneGuestHidesItFromListsWhileTheRestStaysVisible() {
    // CT 201 is in no pool (pool ACLs add to a member's own, see the next test).
    sim.admin().grant(Acl.of("/", "carol@pve", Roles.PVE_AUDITOR));
    sim.admin().grant(Acl.of("/vms/201", "carol@pve", Roles.NO_ACCESS));
    SimClient carol = SimClient.withToken(sim, sim.createToken("carol@pve", "t", false));
    List<String> ids =
        carol
            .get("/cluster/resources", Map.of("type", "vm"))
            .data()
            .valueStream()
            .map(r -> r.get("id").asString())
            .toList();
    assertThat(ids).doesNotContain("lxc/201").contains("qemu/101", "lxc/200");
    assertThat(carol.get("/nodes/pve3/lxc").data().valueStream().map(r -> r.get("vmid").asInt()))
        .doesNotContain(201);
    assertThat(carol.get("/nodes/pve3/lxc/201/config").reason())
        .isEqualTo("Permission check failed (/vms/201, VM.Audit)");
  }

  @Test
  void poolAclsExtendToTheMembersOfThePoolAndItsNestedPools() {
    sim.admin().grant(Acl.of("/pool/prod", "dave@pve", Roles.PVE_AUDITOR));
    SimClient dave = SimClient.withToken(sim, sim.createToken("dave@pve", "t", false));
    List<String> ids =
        dave.get("/cluster/resources", Map.of("type", "vm"))
            .data()
            .valueStream()
            .map(r -> r.get("id").asString())
            .toList();
    // 200 is in prod, 101/102 in prod/web, 103 in prod/db; 104/105 are in dev.
    assertThat(ids).containsExactlyInAnyOrder("qemu/101", "qemu/102", "qemu/103", "lxc/200");
  }

  @Test
  void anAdministratorChangesClusterFirewallOptionsButAPveAdminMayNotModifySystemSettings() {
    SimClient admin = as("boss@pve", Roles.ADMINISTRATOR);
    assertThat(
            admin.call("PUT", "/cluster/firewall/options", Map.of("policy_in", "REJECT")).status())
        .isEqualTo(200);
    assertThat(admin.get("/cluster/firewall/options").data().get("policy_in").asString())
        .isEqualTo("REJECT");

    SimClient pveAdmin = as("deputy@pve", Roles.PVE_ADMIN);
    SimClient.Answer denied =
        pveAdmin.call("PUT", "/cluster/firewall/options", Map.of("policy_in", "DROP"));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.reason()).isEqualTo("Permission check failed (/, Sys.Modify)");
    assertThat(pveAdmin.call("PUT", "/nodes/pve1/qemu/101/config", description("deputy")).status())
        .isEqualTo(200);
  }

  @Test
  void aPrivilegeSeparatedTokenGetsTheIntersectionOfItsUserAndItsOwnAcls() {
    sim.admin().grant(Acl.of("/", "erin@pve", Roles.ADMINISTRATOR));
    ApiToken separated =
        sim.createToken("erin@pve", "ro", true, Acl.of("/", "erin@pve!ro", Roles.PVE_AUDITOR));
    ApiToken full = sim.createToken("erin@pve", "full", false);
    SimClient ro = SimClient.withToken(sim, separated);
    assertThat(ro.get("/nodes/pve1/qemu/101/config").status()).isEqualTo(200);
    assertThat(ro.call("PUT", "/nodes/pve1/qemu/101/config", description("x")).status())
        .isEqualTo(403);
    assertThat(
            SimClient.withToken(sim, full)
                .call("PUT", "/nodes/pve1/qemu/101/config", description("x"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void accessPermissionsReportTheCallersEffectivePrivileges() {
    SimClient auditor = as("frank@pve", Roles.PVE_AUDITOR);
    JsonNode root = auditor.get("/access/permissions").data().get("/");
    assertThat(root.propertyNames())
        .contains("VM.Audit", "Sys.Audit", "Datastore.Audit")
        .doesNotContain("VM.Config.Options");
    assertThat(root.get("VM.Audit").asInt()).isEqualTo(1);
  }

  @Test
  void guestAgentReadsNeedVmMonitorUpToPve8AndGuestAgentAuditOnPve9() {
    SimClient auditor8 = as("gina@pve", Roles.PVE_AUDITOR);
    assertThat(auditor8.get("/nodes/pve1/qemu/101/agent/network-get-interfaces").reason())
        .isEqualTo("Permission check failed (/vms/101, VM.Monitor)");
    try (PveSimulator pve9 =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO))) {
      SimClient auditor9 =
          SimClient.withToken(pve9, pve9.createToken("gina@pve", "t", Roles.PVE_AUDITOR, true));
      SimClient.Answer a = auditor9.get("/nodes/pve1/qemu/101/agent/network-get-interfaces");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.data().get("result").valueStream().map(i -> i.get("name").asString()))
          .contains("lo", "ens18");
    }
  }

  @Test
  void badCredentialsAnswer401AfterTheConfiguredDelay() {
    try (PveSimulator slow =
        PveSimulator.start(SimulatorConfig.demo().withAuthFailureDelay(Duration.ofMillis(400)))) {
      ApiToken good = slow.createToken("root@pam", "x", Roles.ADMINISTRATOR, false);
      ApiToken forged =
          new ApiToken(good.userid(), good.tokenId(), "00000000-0000-0000-0000-000000000000");
      long start = System.nanoTime();
      SimClient.Answer a = SimClient.withToken(slow, forged).get("/version");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.reason()).isEqualTo("authentication failure");
      assertThat(a.body().toString()).doesNotContain(good.secret());
    }
    SimClient none = new SimClient(sim.baseUri(), sim.trustingSslContext());
    assertThat(none.get("/version").status()).isEqualTo(401);
  }

  @Test
  void aTicketLoginNeedsTheCsrfTokenForWrites() {
    SimClient anon = new SimClient(sim.baseUri(), sim.trustingSslContext());
    assertThat(
            anon.call("POST", "/access/ticket", Map.of("username", "root@pam", "password", "wrong"))
                .status())
        .isEqualTo(401);
    JsonNode login =
        anon.call(
                "POST",
                "/access/ticket",
                Map.of("username", "root@pam", "password", sim.rootPassword()))
            .data();
    assertThat(login.get("username").asString()).isEqualTo("root@pam");
    String ticket = login.get("ticket").asString();
    String csrf = login.get("CSRFPreventionToken").asString();

    SimClient session =
        new SimClient(sim.baseUri(), sim.trustingSslContext())
            .header("Cookie", "PVEAuthCookie=" + ticket);
    assertThat(session.get("/cluster/status").status()).isEqualTo(200);
    SimClient.Answer withoutCsrf =
        session.call("PUT", "/nodes/pve1/qemu/101/config", description("t"));
    assertThat(withoutCsrf.status()).isEqualTo(401);
    assertThat(withoutCsrf.reason()).isEqualTo("Permission denied - invalid csrf token");
    session.header("CSRFPreventionToken", csrf);
    assertThat(session.call("PUT", "/nodes/pve1/qemu/101/config", description("t")).status())
        .isEqualTo(200);
    assertThat(sim.cluster().tasks().getFirst().user()).isEqualTo("root@pam");
  }

  @Test
  void everyBuiltInRoleIsKnownWithTheExpectedPrivilegeBoundaries() {
    Map<String, Set<String>> roles = Roles.builtIn(PveVersion.V8_4);
    assertThat(roles)
        .containsKeys(
            Roles.PVE_AUDITOR,
            Roles.PVE_VM_ADMIN,
            Roles.PVE_ADMIN,
            Roles.ADMINISTRATOR,
            Roles.NO_ACCESS);
    assertThat(roles.get(Roles.PVE_ADMIN))
        .doesNotContain("Sys.Modify", "Permissions.Modify")
        .contains("VM.Allocate");
    assertThat(roles.get(Roles.ADMINISTRATOR)).contains("Sys.Modify", "Permissions.Modify");
    assertThat(Roles.builtIn(PveVersion.V9_1).get(Roles.PVE_AUDITOR))
        .contains("VM.GuestAgent.Audit");
    assertThat(Roles.builtIn(PveVersion.V9_1).get(Roles.ADMINISTRATOR))
        .doesNotContain("VM.Monitor");
  }
}
