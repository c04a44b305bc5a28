package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.TOKEN_SECRET;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile middlebox echoes the request's credentials back in every error; neither exception texts
 * (with their causes) nor debug log lines may carry a secret.
 */
class SecretLeakTest {
  private static final String HEADER_SECRET = "cf-access-secret-0123456789abcdef";
  private static final String PASSWORD = "hunter2-but-longer";
  private final List<String> logLines = new ArrayList<>();
  private final Logger jul = Logger.getLogger("dev.nimbus.proxmox.client");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (logLines) {
            logLines.add(record.getMessage() + " " + String.valueOf(record.getThrown()));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level previous;
  private FakePve pve;

  @BeforeEach
  void start() {
    previous = jul.getLevel();
    jul.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    jul.addHandler(capture);
    pve = new FakePve(NODE);
    for (int status : new int[] {400, 401, 403, 404, 500, 501, 595}) {
      pve.route(
          "GET",
          "/echo/" + status,
          r -> {
            String echoed =
                r.header("Authorization")
                    + " "
                    + r.header("CF-Access-Client-Secret")
                    + " "
                    + r.header("Cookie");
            return new Reply(
                status,
                "Permission check failed (/vms/1, " + echoed + ")",
                "{\"data\":null,\"message\":\""
                    + echoed
                    + "\",\"errors\":{\"x\":\""
                    + echoed
                    + "\"}}",
                0);
          });
    }
    pve.route(
        "POST",
        "/access/ticket",
        r -> Reply.error(401, "authentication failure for " + r.form().get("password")));
  }

  @AfterEach
  void stop() {
    jul.removeHandler(capture);
    jul.setLevel(previous);
    pve.close();
  }

  @Test
  void noSecretAppearsInAnyExceptionTextOrLogLine() {
    ProxmoxClient client =
        ProxmoxClient.create(
            pinned(pve).header("CF-Access-Client-Secret", Secret.of(HEADER_SECRET)).build());
    List<String> texts = new ArrayList<>();
    for (int status : new int[] {400, 401, 403, 404, 500, 501, 595}) {
      try {
        client.get("/echo/" + status, Map.of("userid", "query-value-not-in-messages"));
      } catch (ProxmoxException e) {
        texts.add(fullText(e));
        if (e instanceof ProxmoxException.ParameterError p) {
          texts.add(p.errors().toString());
        }
        if (e instanceof ProxmoxException.PermissionDenied d) {
          texts.add(d.aclPath() + " " + d.privilege());
        }
      }
    }
    try {
      ProxmoxClient.login(pinned(pve).build(), "root@pam", Secret.of(PASSWORD), null);
    } catch (ProxmoxException e) {
      texts.add(fullText(e));
    }
    texts.add(pinned(pve).header("X-Secret", Secret.of(HEADER_SECRET)).build().toString());

    assertThat(texts).hasSize(11);
    assertThat(pve.requests().get(0).header("Authorization")).contains(TOKEN_SECRET);
    assertThat(texts)
        .allSatisfy(
            t ->
                assertThat(t)
                    .doesNotContain(TOKEN_SECRET)
                    .doesNotContain(HEADER_SECRET)
                    .doesNotContain(PASSWORD)
                    .doesNotContain("query-value-not-in-messages"));
    assertThat(texts.get(0))
        .startsWith(
            "dev.nimbus.proxmox.client.ProxmoxException$ParameterError: GET /echo/400 failed");
    synchronized (logLines) {
      assertThat(logLines).anyMatch(l -> l.contains("GET /echo/401 -> 401"));
      assertThat(logLines)
          .allSatisfy(
              l ->
                  assertThat(l)
                      .doesNotContain(TOKEN_SECRET)
                      .doesNotContain(HEADER_SECRET)
                      .doesNotContain(PASSWORD)
                      .doesNotContain("query-value-not-in-messages"));
    }
  }

  private static String fullText(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
