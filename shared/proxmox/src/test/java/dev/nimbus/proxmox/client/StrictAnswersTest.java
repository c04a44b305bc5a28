package dev.nimbus.proxmox.client;

import static dev.nimbus.proxmox.client.support.TestClients.NODE;
import static dev.nimbus.proxmox.client.support.TestClients.pinned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.model.RrdPoint;
import dev.nimbus.proxmox.client.support.FakePve;
import dev.nimbus.proxmox.client.support.FakePve.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Never an empty list on doubt": every typed read of the client, fed each broken answer a tunnel,
 * proxy or server has produced, fails with an {@link InvalidResponse} naming method and path, once
 * (not retried), and never returns an empty or partial result. The same endpoints still accept an
 * honest empty answer.
 */
class StrictAnswersTest {
  private static final String HTML = "text/html; charset=utf-8";
  private static final RetryPolicy RETRYING =
      new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2), 0);
  private static FakePve pve;
  private static ProxmoxClient client;

  /** One typed read: what it calls, the path it asks, and an honest empty answer for it. */
  record Endpoint(String name, String path, String emptyAnswer, Function<ProxmoxClient, ?> read) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Endpoint list(String name, String path, Function<ProxmoxClient, ?> read) {
    return new Endpoint(name, path, "{\"data\":[]}", read);
  }

  private static Endpoint object(String name, String path, Function<ProxmoxClient, ?> read) {
    return new Endpoint(name, path, "{\"data\":{}}", read);
  }

  static List<Endpoint> endpoints() {
    String upid = "UPID:alpha:0000A1B2:00C3D4E5:6650F0A0:qmstart:100:ops@pve:";
    return List.of(
        new Endpoint(
            "version",
            "/version",
            "{\"data\":{\"version\":\"8.2.4\",\"release\":\"8.2\"}}",
            ProxmoxClient::version),
        list("nodes", "/nodes", ProxmoxClient::nodes),
        list("cluster status", "/cluster/status", c -> c.cluster().status()),
        list("cluster resources", "/cluster/resources", c -> c.cluster().resources()),
        list("cluster tasks", "/cluster/tasks", c -> c.cluster().tasks()),
        list("cluster log", "/cluster/log", c -> c.cluster().log(20)),
        new Endpoint(
            "metrics export",
            "/cluster/metrics/export",
            "{\"data\":{\"data\":[]}}",
            c -> c.cluster().metricsExport(false, null)),
        list("firewall rules", "/cluster/firewall/rules", c -> c.cluster().firewall().rules()),
        list("firewall groups", "/cluster/firewall/groups", c -> c.cluster().firewall().groups()),
        list(
            "group rules",
            "/cluster/firewall/groups/web",
            c -> c.cluster().firewall().groupRules("web")),
        list("aliases", "/cluster/firewall/aliases", c -> c.cluster().firewall().aliases()),
        list("ip sets", "/cluster/firewall/ipset", c -> c.cluster().firewall().ipsets()),
        list(
            "ip set entries",
            "/cluster/firewall/ipset/office",
            c -> c.cluster().firewall().ipset("office")),
        object(
            "firewall options", "/cluster/firewall/options", c -> c.cluster().firewall().options()),
        list("sdn zones", "/cluster/sdn/zones", c -> c.cluster().sdn().zones()),
        list("sdn vnets", "/cluster/sdn/vnets", c -> c.cluster().sdn().vnets()),
        list(
            "sdn subnets",
            "/cluster/sdn/vnets/appnet/subnets",
            c -> c.cluster().sdn().subnets("appnet")),
        list(
            "vnet firewall",
            "/cluster/sdn/vnets/appnet/firewall/rules",
            c -> c.cluster().sdn().vnetFirewallRules("appnet")),
        object("node status", "/nodes/alpha/status", c -> c.node("alpha").status()),
        list("node network", "/nodes/alpha/network", c -> c.node("alpha").network()),
        list(
            "node certificates",
            "/nodes/alpha/certificates/info",
            c -> c.node("alpha").certificates()),
        list("node storage", "/nodes/alpha/storage", c -> c.node("alpha").storage()),
        object(
            "storage status",
            "/nodes/alpha/storage/local/status",
            c -> c.node("alpha").storageStatus("local")),
        list("node tasks", "/nodes/alpha/tasks", c -> c.node("alpha").tasks()),
        object(
            "task status",
            "/nodes/alpha/tasks/" + upid + "/status",
            c -> c.node("alpha").taskStatus(upid)),
        list("node firewall", "/nodes/alpha/firewall/rules", c -> c.node("alpha").firewallRules()),
        list(
            "node rrddata",
            "/nodes/alpha/rrddata",
            c -> c.node("alpha").rrddata(RrdPoint.Timeframe.HOUR, RrdPoint.Consolidation.AVERAGE)),
        list("qemu list", "/nodes/alpha/qemu", c -> c.node("alpha").qemus()),
        list("lxc list", "/nodes/alpha/lxc", c -> c.node("alpha").lxcs()),
        object(
            "vm config", "/nodes/alpha/qemu/100/config", c -> c.node("alpha").qemu(100).config()),
        object(
            "vm current config",
            "/nodes/alpha/qemu/100/config",
            c -> c.node("alpha").qemu(100).currentConfig()),
        list(
            "vm pending",
            "/nodes/alpha/qemu/100/pending",
            c -> c.node("alpha").qemu(100).pending()),
        object(
            "vm status",
            "/nodes/alpha/qemu/100/status/current",
            c -> c.node("alpha").qemu(100).status()),
        list(
            "vm rrddata",
            "/nodes/alpha/qemu/100/rrddata",
            c ->
                c.node("alpha")
                    .qemu(100)
                    .rrddata(RrdPoint.Timeframe.DAY, RrdPoint.Consolidation.MAX)),
        list(
            "vm firewall",
            "/nodes/alpha/qemu/100/firewall/rules",
            c -> c.node("alpha").qemu(100).firewallRules()),
        new Endpoint(
            "agent interfaces",
            "/nodes/alpha/qemu/100/agent/network-get-interfaces",
            "{\"data\":{\"result\":[]}}",
            c -> c.node("alpha").qemu(100).agentNetworkInterfaces()),
        new Endpoint(
            "agent fsinfo",
            "/nodes/alpha/qemu/100/agent/get-fsinfo",
            "{\"data\":{\"result\":[]}}",
            c -> c.node("alpha").qemu(100).agentFsInfo()),
        object("ct config", "/nodes/alpha/lxc/200/config", c -> c.node("alpha").lxc(200).config()),
        list(
            "ct interfaces",
            "/nodes/alpha/lxc/200/interfaces",
            c -> c.node("alpha").lxc(200).interfaces()),
        list("pools", "/pools", c -> c.pools().list()),
        list("storage config", "/storage", c -> c.storage().config()),
        object("permissions", "/access/permissions", c -> c.access().permissions()),
        list(
            "tokens",
            "/access/users/discovery@pve/token",
            c -> c.access().tokens("discovery@pve")));
  }

  /** A broken answer: what it is, and the reply. */
  record Broken(String name, Reply reply) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Broken> brokenAnswers() {
    return List.of(
        new Broken("data missing", Reply.ok("{}")),
        new Broken("data null", Reply.ok("{\"data\":null}")),
        new Broken("data a string", Reply.ok("{\"data\":\"ok\"}")),
        new Broken("data a number", Reply.ok("{\"data\":0}")),
        new Broken(
            "HTML page", Reply.raw(HTML, "<!DOCTYPE html><html><body>Sign in</body></html>")),
        new Broken("empty body", Reply.raw(Reply.JSON, "")),
        new Broken("whitespace body", Reply.raw(Reply.JSON, " \n")),
        new Broken("JSON cut short", Reply.ok("{\"data\":[{\"id\":\"qemu/100\"},{\"id\":")),
        new Broken("JSON not an object", Reply.ok("[{\"data\":[]}]")));
  }

  /** Wrong shapes that depend on what the endpoint declares. */
  static List<Broken> wrongShapes(Endpoint endpoint) {
    List<Broken> out = new ArrayList<>();
    if (endpoint.emptyAnswer().equals("{\"data\":[]}")) {
      out.add(new Broken("data an object", Reply.ok("{\"data\":{}}")));
      out.add(new Broken("element a string", Reply.ok("{\"data\":[{\"id\":\"a\"},\"b\"]}")));
      out.add(new Broken("element null", Reply.ok("{\"data\":[null]}")));
      out.add(new Broken("element a list", Reply.ok("{\"data\":[[]]}")));
    } else if (endpoint.emptyAnswer().startsWith("{\"data\":{\"version\"")) {
      out.add(new Broken("data a list", Reply.ok("{\"data\":[]}")));
      out.add(new Broken("no version", Reply.ok("{\"data\":{\"repoid\":\"abc\"}}")));
    } else if (endpoint.emptyAnswer().equals("{\"data\":{}}")) {
      out.add(new Broken("data a list", Reply.ok("{\"data\":[]}")));
    } else {
      // A list inside an object (metrics export's data.data, an agent's data.result).
      out.add(new Broken("data a list", Reply.ok("{\"data\":[]}")));
      out.add(new Broken("inner list missing", Reply.ok("{\"data\":{}}")));
      String key = endpoint.emptyAnswer().contains("result") ? "result" : "data";
      out.add(new Broken("inner list an object", Reply.ok("{\"data\":{\"" + key + "\":{}}}")));
      out.add(new Broken("inner element a number", Reply.ok("{\"data\":{\"" + key + "\":[1]}}")));
    }
    return out;
  }

  static Stream<Object[]> cases() {
    return endpoints().stream()
        .flatMap(
            e ->
                Stream.concat(brokenAnswers().stream(), wrongShapes(e).stream())
                    .map(b -> new Object[] {e, b}));
  }

  @BeforeAll
  static void start() {
    pve = new FakePve(NODE);
    client = ProxmoxClient.create(pinned(pve).retryPolicy(RETRYING).build());
  }

  @AfterAll
  static void stop() {
    pve.close();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void aBrokenAnswerIsAnInvalidResponseOfThatCallNeverAnEmptyResult(
      Endpoint endpoint, Broken broken) {
    pve.fallback(r -> broken.reply());
    int before = pve.requests("GET", endpoint.path()).size();

    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> endpoint.read().apply(client));

    assertThat(e).as("%s answering %s", endpoint, broken).isNotNull();
    assertThat(e.getMessage()).startsWith("GET " + endpoint.path() + " failed: 200 ");
    assertThat(e.method()).isEqualTo("GET");
    assertThat(e.path()).isEqualTo(endpoint.path());
    // Deterministic answers are not retried: one request for the call.
    assertThat(pve.requests("GET", endpoint.path())).hasSize(before + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void anHonestEmptyAnswerIsStillAccepted(Endpoint endpoint) {
    pve.fallback(r -> Reply.ok(endpoint.emptyAnswer()));
    Object result = endpoint.read().apply(client);
    assertThat(result).isNotNull();
  }

  @Test
  void theMessageSaysWhatWasWrongWithoutQuotingTheBody() {
    pve.fallback(r -> Reply.ok("{\"data\":\"secret-looking text from a proxy\"}"));
    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> client.storage().config());
    assertThat(e.getMessage())
        .isEqualTo("GET /storage failed: 200 data is a string where a list was expected")
        .doesNotContain("secret-looking");

    pve.fallback(r -> Reply.raw(HTML, "<html>login</html>"));
    e = catchThrowableOfType(InvalidResponse.class, () -> client.cluster().resources());
    assertThat(e.getMessage())
        .isEqualTo(
            "GET /cluster/resources failed: 200 answer is not JSON (Content-Type text/html)");

    pve.fallback(r -> Reply.ok("{\"data\":[{\"poolid\":\"a\"},7]}"));
    e = catchThrowableOfType(InvalidResponse.class, () -> client.pools().list());
    assertThat(e.getMessage())
        .isEqualTo("GET /pools failed: 200 element 1 of the list is a number, not an object");
  }

  @Test
  void aRowTheModelCannotReadFailsTheCallInsteadOfDroppingTheRow() {
    // vmid beyond int: Lenient.intValue cannot hold it.
    pve.fallback(r -> Reply.ok("{\"data\":[{\"vmid\":100},{\"vmid\":99999999999}]}"));
    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> client.node("alpha").qemus());
    assertThat(e.getMessage())
        .isEqualTo(
            "GET /nodes/alpha/qemu failed: 200 element 1 of the list cannot be read"
                + " (ArithmeticException)");
  }

  @Test
  void aPoolReadThroughTheOldPathNeedsItsMemberList() {
    pve.fallback(r -> Reply.error(400, "Parameter verification failed."));
    pve.route("GET", "/pools/team-a", r -> Reply.ok("{\"data\":{\"comment\":\"A\"}}"));
    InvalidResponse e =
        catchThrowableOfType(InvalidResponse.class, () -> client.pools().get("team-a"));
    assertThat(e.getMessage())
        .isEqualTo(
            "GET /pools/team-a failed: 200 data.members is missing where a list was expected");
    pve.route(
        "GET", "/pools/team-a", r -> Reply.ok("{\"data\":{\"comment\":\"A\",\"members\":[]}}"));
    assertThat(client.pools().get("team-a").membersLoaded()).isTrue();
  }
}
