package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.TOKEN_ID;
import static dev.nimbus.proxmox.client.support.TestClients.TOKEN_SECRET;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server text is cut to 400 characters for messages. A tunnel that echoes the Authorization header
 * after padding must not get any part of the secret into a message, wherever the echo falls
 * relative to the cut: secrets are masked first, then the text is cut.
 */
class MaskBeforeCutTest {
  private static final String HEADER_SECRET = "9c1f77aa4b2e8d0c31f5a9e7d6b3";
  private static final String PAD = ".";
  private static FakePve pve;
  private static ProxmoxClient client;

  @BeforeAll
  static void start() {
    pve = new FakePve(NODE);
    client =
        ProxmoxClient.create(
            pinned(pve).header("CF-Access-Client-Secret", Secret.of(HEADER_SECRET)).build());
  }

  @AfterAll
  static void stop() {
    pve.close();
  }

  /** Every 4-character window of the secrets, the most a message may not carry. */
  private static List<String> fragments() {
    List<String> out = new ArrayList<>();
    for (String secret : List.of(TOKEN_SECRET, HEADER_SECRET)) {
      for (int i = 0; i + 4 <= secret.length(); i++) {
        out.add(secret.substring(i, i + 4));
      }
    }
    return out;
  }

  private static void assertNoFragment(String text, String what) {
    for (String fragment : fragments()) {
      assertThat(text).as("%s must not carry %s", what, fragment).doesNotContain(fragment);
    }
  }

  /** Calls {@code /echo} answering {@code reply(offset)} for every offset around the cut. */
  private static void forEveryOffset(String name, IntFunction<Reply> reply) {
    for (int offset = 300; offset <= 420; offset++) {
      Reply r = reply.apply(offset);
      pve.route("GET", "/echo", req -> r);
      try {
        client.get("/echo", Map.of());
        throw new AssertionError(name + " at " + offset + " did not fail");
      } catch (ProxmoxException e) {
        assertNoFragment(e.getMessage(), name + " at offset " + offset);
        if (e instanceof ProxmoxException.ParameterError p) {
          assertNoFragment(p.errors().toString(), name + " errors at offset " + offset);
        }
      }
    }
  }

  private static String authorizationEcho(String request) {
    return "Authorization: PVEAPIToken=" + TOKEN_ID + "=" + TOKEN_SECRET + " " + request;
  }

  @Test
  void anAuthorizationEchoInTheReasonPhraseIsMaskedAtEveryOffsetAroundTheCut() {
    forEveryOffset(
        "reason phrase",
        offset -> Reply.error(502, PAD.repeat(offset) + authorizationEcho("GET /echo")));
  }

  @Test
  void anAuthorizationEchoInTheBodyMessageIsMaskedAtEveryOffsetAroundTheCut() {
    forEveryOffset(
        "body message",
        offset ->
            new Reply(
                500,
                "Internal Server Error",
                "{\"data\":null,\"message\":\""
                    + PAD.repeat(offset)
                    + authorizationEcho("")
                    + "\"}",
                0));
  }

  @Test
  void aSecretHeaderEchoAndParameterErrorsAreMaskedAtEveryOffsetAroundTheCut() {
    forEveryOffset(
        "header echo",
        offset ->
            new Reply(
                400,
                "Parameter verification failed.",
                "{\"data\":null,\"errors\":{\"poolid\":\""
                    + PAD.repeat(offset)
                    + "cf-access-client-secret="
                    + HEADER_SECRET
                    + "\"},\"message\":\""
                    + PAD.repeat(offset)
                    + HEADER_SECRET
                    + "\"}",
                0));
  }

  @Test
  void anEchoThatTheTunnelAlreadyCutLeavesNothingOfTheSecret() {
    // The middlebox truncated its own echo: only the start of the secret arrives.
    for (int kept = 4; kept < TOKEN_SECRET.length(); kept++) {
      String partial = TOKEN_SECRET.substring(0, kept);
      pve.route("GET", "/echo", r -> Reply.error(502, PAD.repeat(120) + "token " + partial));
      try {
        client.get("/echo", Map.of());
      } catch (ProxmoxException e) {
        assertNoFragment(e.getMessage(), "an echo cut to " + kept + " characters");
      }
    }
  }

  @Test
  void anUnknownTokenOrTicketInAnEchoIsMaskedByItsShape() {
    pve.route(
        "GET",
        "/echo",
        r ->
            Reply.error(
                502,
                "seen: PVEAPIToken=other@pve!ci=11112222-3333-4444-5555-666677778888,"
                    + " PVEAuthCookie=PVE:root@pam:6650F0A0::c2lnbmF0dXJl"));
    try {
      client.get("/echo", Map.of());
      throw new AssertionError("no failure");
    } catch (ProxmoxException e) {
      assertThat(e.getMessage())
          .isEqualTo(
              "GET /echo failed: 502 seen: PVEAPIToken=other@pve!ci=****, PVEAuthCookie=****");
    }
  }
}
