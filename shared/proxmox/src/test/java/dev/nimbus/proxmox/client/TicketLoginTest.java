package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.TfaRequired;
import dev.nimbus.proxmox.client.model.ApiTokens;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import dev.nimbus.proxmox.client.support.TestClients.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ticket login for the wizard: cookie, CSRF on writes, TFA, renewal before expiry. */
class TicketLoginTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String FIRST_TICKET =
      "PVE:wizard@pve:6A1B2C3D::dGVzdC10aWNrZXQtc2lnbmF0dXJlLW5vdC1yZWFs";
  private static final String RENEWED_TICKET = "PVE:wizard@pve:6A1B3000::cmVuZXdlZC10aWNrZXQ";
  private static final String CSRF = "6A1B2C3D:Zm9yLXRlc3RzLW9ubHktY3NyZi12YWx1ZQ";
  private static final String TFA_TICKET =
      "PVE:!tfa!%7B%22totp%22%3Atrue%2C%22recovery%22%3A%5B%5D%2C%22webauthn%22%3Anull%7D:6A1B2C3D::c2ln";

  private FakePve pve;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  private static Reply ticket(String user, String ticket) {
    return Reply.data(
        "{\"username\":\""
            + user
            + "\",\"ticket\":\""
            + ticket
            + "\",\"CSRFPreventionToken\":\""
            + CSRF
            + "\"}");
  }

  @BeforeEach
  void start() {
    pve = new FakePve(NODE);
    pve.route(
        "POST",
        "/access/ticket",
        r -> {
          String user = r.form().get("username");
          String password = r.form().get("password");
          if (r.form().containsKey("tfa-challenge")) {
            return TFA_TICKET.equals(r.form().get("tfa-challenge"))
                    && "totp:123456".equals(password)
                ? ticket(user, FIRST_TICKET)
                : Reply.error(401, "authentication failure");
          }
          if (user.equals("tfa@pve") && PASSWORD.equals(password)) {
            return Reply.data(
                "{\"username\":\"tfa@pve\",\"ticket\":\"" + TFA_TICKET + "\",\"NeedTFA\":1}");
          }
          if (PASSWORD.equals(password)) {
            return ticket(user, FIRST_TICKET);
          }
          if (FIRST_TICKET.equals(password)) {
            return ticket(user, RENEWED_TICKET);
          }
          return Reply.error(401, "authentication failure");
        });
    pve.fixture("/version", "version_pve9.json");
    pve.route(
        "POST",
        "/access/users/discovery@pve/token/ro",
        r ->
            Reply.data(
                "{\"full-tokenid\":\"discovery@pve!ro\",\"info\":{\"privsep\":1},"
                    + "\"value\":\"0d9e8f7a-1111-2222-3333-444455556666\"}"));
  }

  @AfterEach
  void stop() {
    pve.close();
  }

  private ProxmoxClient login(String user, Secret otp) {
    return ProxmoxClient.login(pinned(pve).build(), user, Secret.of(PASSWORD), otp, clock);
  }

  @Test
  void logsInAndSendsTheTicketAsCookieWithoutCsrfOnReads() {
    ProxmoxClient client = login("wizard@pve", null);
    client.version();
    FakePve.Request login = pve.requests("POST", "/access/ticket").get(0);
    assertThat(login.form())
        .containsEntry("username", "wizard@pve")
        .containsEntry("password", PASSWORD);
    assertThat(login.header("Authorization")).isNull();
    FakePve.Request read = pve.requests("GET", "/version").get(0);
    assertThat(read.header("Cookie")).isEqualTo("PVEAuthCookie=" + FIRST_TICKET);
    assertThat(read.header("CSRFPreventionToken")).isNull();
    assertThat(read.header("Authorization")).isNull();
  }

  @Test
  void addsTheCsrfTokenToWritesAndReturnsTheNewTokenAsASecret() {
    ProxmoxClient client = login("wizard@pve", null);
    ApiTokens.CreatedToken token =
        client.access().createToken("discovery@pve", "ro", "nimbus discovery", true, null);
    FakePve.Request write = pve.requests("POST", "/access/users/discovery@pve/token/ro").get(0);
    assertThat(write.header("CSRFPreventionToken")).isEqualTo(CSRF);
    assertThat(write.header("Cookie")).isEqualTo("PVEAuthCookie=" + FIRST_TICKET);
    assertThat(write.form())
        .containsEntry("privsep", "1")
        .containsEntry("comment", "nimbus discovery");
    assertThat(token.fullTokenId()).isEqualTo("discovery@pve!ro");
    assertThat(token.value().reveal()).isEqualTo("0d9e8f7a-1111-2222-3333-444455556666");
    assertThat(token.toString()).doesNotContain("0d9e8f7a");
    assertThat(token.info().privsep()).isTrue();
  }

  @Test
  void reportsATwoFactorChallengeAsAClearError() {
    TfaRequired e = catchThrowableOfType(TfaRequired.class, () -> login("tfa@pve", null));
    assertThat(e.factors()).containsExactly("totp");
    assertThat(e.getMessage())
        .startsWith("POST /access/ticket failed: two-factor authentication required")
        .doesNotContain(PASSWORD)
        .doesNotContain("!tfa!");
  }

  @Test
  void answersTheTwoFactorChallengeWithAOneTimeCode() {
    ProxmoxClient client = login("tfa@pve", Secret.of("123456"));
    client.version();
    List<FakePve.Request> logins = pve.requests("POST", "/access/ticket");
    assertThat(logins).hasSize(2);
    assertThat(logins.get(1).form())
        .containsEntry("tfa-challenge", TFA_TICKET)
        .containsEntry("password", "totp:123456");
    assertThat(pve.requests("GET", "/version").get(0).header("Cookie"))
        .isEqualTo("PVEAuthCookie=" + FIRST_TICKET);
  }

  @Test
  void refusesAWrongPassword() {
    AuthenticationFailed e =
        catchThrowableOfType(
            AuthenticationFailed.class,
            () ->
                ProxmoxClient.login(
                    pinned(pve).build(), "wizard@pve", Secret.of("nope-nope"), null, clock));
    assertThat(e.getMessage()).isEqualTo("POST /access/ticket failed: 401 authentication failure");
  }

  @Test
  void renewsTheTicketBeforeItExpires() {
    ProxmoxClient client = login("wizard@pve", null);
    client.version();
    clock.advance(Duration.ofMinutes(61));
    client.version();
    List<FakePve.Request> logins = pve.requests("POST", "/access/ticket");
    assertThat(logins).hasSize(2);
    assertThat(logins.get(1).form())
        .containsEntry("username", "wizard@pve")
        .containsEntry("password", FIRST_TICKET);
    List<FakePve.Request> reads = pve.requests("GET", "/version");
    assertThat(reads.get(1).header("Cookie")).isEqualTo("PVEAuthCookie=" + RENEWED_TICKET);
    clock.advance(Duration.ofMinutes(30));
    client.version();
    assertThat(pve.requests("POST", "/access/ticket")).hasSize(2);
  }

  @Test
  void asksForANewLoginOnceTheTicketHasExpired() {
    ProxmoxClient client = login("wizard@pve", null);
    clock.advance(Duration.ofHours(2).plusMinutes(1));
    AuthenticationFailed e = catchThrowableOfType(AuthenticationFailed.class, client::version);
    assertThat(e.getMessage()).contains("log in again");
    assertThat(pve.requests("GET", "/version")).isEmpty();
  }
}
