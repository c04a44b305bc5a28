package dev.nimbus.wizard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.AccessApi;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.model.ApiTokens;
import dev.nimbus.proxmox.client.model.Permissions;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.pvesim.Totp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client's user, role, ACL and token calls against the simulator (which checks each call's
 * privileges like Proxmox), and the ticket login with a TOTP second factor: what minting a token
 * relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessApiSimulatorTest {
  private PveSimulator sim;

  @BeforeAll
  void start() {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private ClientSettings.Builder settings() {
    return ClientSettings.builder(sim.baseUri())
        .trust(new TlsTrust.PinnedFingerprints(java.util.Set.of(sim.fingerprint("pve1"))));
  }

  private ProxmoxClient root() {
    return ProxmoxClient.login(settings().build(), "root@pam", Secret.of(sim.rootPassword()), null);
  }

  @Test
  void rootCreatesAUserARoleAPrivilegeSeparatedTokenAndItsAclsAndTheTokenHasExactlyThoseRights() {
    AccessApi access = root().access();

    access.createUser("mint1@pve", "test");
    assertThat(access.users()).extracting(AccessApi.UserInfo::userid).contains("mint1@pve");
    access.createRole("Mint1", List.of("Sys.Audit", "VM.Audit"));
    access.setRolePrivileges("Mint1", List.of("Sys.Audit", "VM.Audit", "Sys.Syslog"));
    assertThat(access.roles())
        .filteredOn(r -> r.roleid().equals("Mint1"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.privileges())
                  .containsExactlyInAnyOrder("Sys.Audit", "VM.Audit", "Sys.Syslog");
              assertThat(r.special()).isFalse();
            });
    ApiTokens.CreatedToken token = access.createToken("mint1@pve", "disc", "c", true, null);
    access.grant("/", "Mint1", List.of("mint1@pve"), List.of("mint1@pve!disc"));

    assertThat(access.acl())
        .extracting(a -> a.path() + " " + a.type() + " " + a.ugid() + " " + a.roleid())
        .contains("/ user mint1@pve Mint1", "/ token mint1@pve!disc Mint1");
    ProxmoxClient asToken =
        ProxmoxClient.create(settings().apiToken("mint1@pve!disc", token.value()).build());
    Permissions p = asToken.access().permissions();
    assertThat(p.has("/", "Sys.Syslog")).isTrue();
    assertThat(p.has("/vms/101", "VM.Audit")).isTrue();
    assertThat(p.has("/storage", "Datastore.Audit")).isFalse();
  }

  @Test
  void pve9RefusesVmMonitorAndPredefinedRolesStayAsTheyAre() {
    AccessApi access = root().access();

    assertThatThrownBy(() -> access.createRole("Old", List.of("VM.Monitor")))
        .isInstanceOfSatisfying(
            ProxmoxException.ParameterError.class,
            e -> assertThat(e.errors().get("privs")).contains("VM.Monitor"));
    assertThatThrownBy(() -> access.setRolePrivileges(Roles.PVE_AUDITOR, List.of("Sys.Audit")))
        .isInstanceOf(ProxmoxException.class);
  }

  @Test
  void anAuditorTokenCannotCreateUsersRolesOrAcls() {
    ApiToken auditor = sim.createToken("aud@pve", "ro", Roles.PVE_AUDITOR, true);
    AccessApi access =
        ProxmoxClient.create(
                settings().apiToken(auditor.fullId(), Secret.of(auditor.secret())).build())
            .access();

    assertThatThrownBy(() -> access.createUser("x@pve", null))
        .isInstanceOfSatisfying(
            ProxmoxException.PermissionDenied.class,
            e -> assertThat(e.privilege()).isEqualTo("Realm.AllocateUser"));
    assertThatThrownBy(() -> access.createRole("X", List.of("VM.Audit")))
        .isInstanceOf(ProxmoxException.PermissionDenied.class);
    assertThatThrownBy(() -> access.grant("/", "PVEAuditor", List.of("aud@pve"), List.of()))
        .isInstanceOf(ProxmoxException.PermissionDenied.class);
  }

  @Test
  void aTotpUserNeedsTheCurrentCodeAndAWrongCodeIsRefused() {
    sim.admin().addUser("otp@pam", "otp-password-1");
    String secret = sim.enableTotp("otp@pam");

    assertThatThrownBy(
            () ->
                ProxmoxClient.login(
                    settings().build(), "otp@pam", Secret.of("otp-password-1"), null))
        .isInstanceOfSatisfying(
            ProxmoxException.TfaRequired.class, e -> assertThat(e.factors()).contains("totp"));
    String wrong = Totp.code(secret, Instant.now().plusSeconds(600));
    assertThatThrownBy(
            () ->
                ProxmoxClient.login(
                    settings().build(), "otp@pam", Secret.of("otp-password-1"), Secret.of(wrong)))
        .isInstanceOf(ProxmoxException.AuthenticationFailed.class);

    ProxmoxClient client =
        ProxmoxClient.login(
            settings().build(),
            "otp@pam",
            Secret.of("otp-password-1"),
            Secret.of(Totp.code(secret, Instant.now())));
    assertThat(client.version().version()).startsWith("9.1");
  }

  @Test
  void aRotatedNodeCertificateIsRefusedByTheOldPinAndShownByNodes() {
    String old = sim.fingerprint("pve3");
    String fresh = sim.rotateCertificate("pve3");

    assertThat(fresh).isNotEqualTo(old);
    ProxmoxClient admin = root();
    assertThat(admin.nodes())
        .filteredOn(n -> n.node().equals("pve3"))
        .singleElement()
        .satisfies(n -> assertThat(n.sslFingerprint()).isEqualTo(fresh));
    ProxmoxClient pinnedToOld =
        ProxmoxClient.create(
            ClientSettings.builder(sim.baseUri("pve3"))
                .trust(new TlsTrust.PinnedFingerprints(java.util.Set.of(old)))
                .apiToken("root@pam!x", Secret.of("00000000-0000-0000-0000-000000000000"))
                .build());
    assertThatThrownBy(pinnedToOld::version)
        .isInstanceOf(ProxmoxException.CertificateMismatch.class);
  }
}
