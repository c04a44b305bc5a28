package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Walks every endpoint the simulator serves and checks each answer against the official return
 * schema of the selected version: the condensed copy committed in src/test/resources/schema (made
 * by tools/condense-schema.py), and the full apidata-*.json in ../shared/proxmox/schema when that
 * reference directory exists.
 */
class ConformanceTest {

  record Endpoint(String method, String template) {}

  record Request(Endpoint endpoint, String path, Map<String, String> params) {}

  @ParameterizedTest(name = "PVE {0}")
  @EnumSource(PveVersion.class)
  void everyServedEndpointAnswersAsTheCondensedSchemaOfTheVersionDeclares(PveVersion version)
      throws IOException {
    Map<String, Map<String, JsonNode>> schema = condensed(version);
    assertConforms(version, schema);
  }

  @ParameterizedTest(name = "PVE {0}")
  @EnumSource(PveVersion.class)
  void everyServedEndpointAnswersAsTheFullOfficialSchemaDeclaresWhenTheReferenceIsPresent(
      PveVersion version) throws IOException {
    Optional<Path> file = fullSchema(version);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        file.isPresent(),
        "../shared/proxmox/schema not present: the condensed schema test covers this");
    Map<String, Map<String, JsonNode>> schema = new HashMap<>();
    index(SimClient.JSON.readTree(file.get().toFile()), schema);
    assertConforms(version, schema);
  }

  private void assertConforms(PveVersion version, Map<String, Map<String, JsonNode>> schema)
      throws IOException {
    List<Endpoint> served = servedEndpoints();
    SimulatorConfig config =
        SimulatorConfig.demo().withVersion(version).withAuthFailureDelay(Duration.ZERO);
    try (PveSimulator sim = PveSimulator.start(config)) {
      ApiToken root = sim.createToken("root@pam", "conformance", Roles.ADMINISTRATOR, false);
      SimClient api = SimClient.withToken(sim, root);
      List<String> failures = new ArrayList<>();
      Set<Endpoint> checked = new LinkedHashSet<>();
      for (Request r : requests(sim, version)) {
        JsonNode returns =
            schema.getOrDefault(r.endpoint().template(), Map.of()).get(r.endpoint().method());
        SimClient.Answer answer = api.call(r.endpoint().method(), r.path(), r.params());
        String label = r.endpoint().method() + " " + r.path() + " " + r.params();
        if (returns == null) {
          // Not in this version's API: the simulator must not serve it either.
          if (answer.status() != 501 && answer.status() != 400) {
            failures.add(
                label
                    + ": not in the "
                    + version.release()
                    + " schema but answered "
                    + answer.status());
          }
          continue;
        }
        if (answer.status() != 200) {
          failures.add(label + ": HTTP " + answer.status() + " " + answer.reason());
          continue;
        }
        checked.add(r.endpoint());
        SchemaValidator.validate(answer.data(), returns)
            .forEach(e -> failures.add(label + ": " + e));
      }
      assertThat(failures).isEmpty();
      Set<Endpoint> inSchema =
          new TreeSet<>(
              java.util.Comparator.comparing(Endpoint::template).thenComparing(Endpoint::method));
      for (Endpoint e : served) {
        if (schema.getOrDefault(e.template(), Map.of()).containsKey(e.method())) {
          inSchema.add(e);
        }
      }
      assertThat(checked).containsAll(inSchema);
    }
  }

  /** Concrete requests for every served endpoint: reads first, then changes in a sensible order. */
  private static List<Request> requests(PveSimulator sim, PveVersion version) {
    String upid =
        sim.cluster().tasks().stream()
            .filter(t -> t.node().equals("pve1"))
            .findFirst()
            .orElseThrow()
            .upid();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("{node}", "pve1");
    vars.put("{storage}", "local-lvm");
    vars.put("{vnet}", "vnet100");
    vars.put("{group}", "web");
    vars.put("{name}", "blocklist");
    vars.put("{upid}", upid);
    vars.put("{userid}", "root@pam");
    vars.put("{tokenid}", "conformance");
    vars.put("{poolid}", "prod");
    vars.put("{roleid}", "PVEAuditor");
    List<Request> out = new ArrayList<>();
    for (Endpoint e : servedEndpoints()) {
      if (!e.method().equals("GET")) {
        continue;
      }
      String path = e.template();
      for (Map.Entry<String, String> v : vars.entrySet()) {
        path = path.replace(v.getKey(), v.getValue());
      }
      path = path.replace("/qemu/{vmid}", "/qemu/101").replace("/lxc/{vmid}", "/lxc/200");
      Map<String, String> params = new LinkedHashMap<>();
      if (path.endsWith("/rrddata")) {
        params.put("timeframe", "hour");
      }
      out.add(new Request(e, path, params));
      if (path.endsWith("/rrddata")) {
        out.add(new Request(e, path, Map.of("timeframe", "week", "cf", "MAX")));
      }
      if (e.template().equals("/cluster/resources")) {
        for (String type : List.of("vm", "storage", "node", "sdn")) {
          out.add(new Request(e, path, Map.of("type", type)));
        }
      }
      if (e.template().equals("/cluster/log")) {
        out.add(new Request(e, path, Map.of("max", "5")));
      }
      if (e.template().endsWith("/config")) {
        out.add(new Request(e, path, Map.of("current", "1")));
      }
      if (e.template().equals("/pools") && version.hasNestedPools()) {
        out.add(new Request(e, path, Map.of("poolid", "prod/web")));
        out.add(new Request(e, path, Map.of("poolid", "prod", "type", "qemu")));
      }
    }
    // Stopped VM 104 (pve3) and its agent-less siblings are covered elsewhere; here the changes.
    out.add(
        req(
            "PUT",
            "/nodes/{node}/qemu/{vmid}/config",
            "/nodes/pve1/qemu/101/config",
            "description",
            "changed by conformance"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/qemu/{vmid}/config",
            "/nodes/pve1/qemu/101/config",
            "tags",
            "conformance;web"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/qemu/{vmid}/status/reboot",
            "/nodes/pve1/qemu/101/status/reboot"));
    out.add(
        req("POST", "/nodes/{node}/lxc/{vmid}/status/reboot", "/nodes/pve1/lxc/200/status/reboot"));
    out.add(
        req(
            "PUT",
            "/nodes/{node}/lxc/{vmid}/config",
            "/nodes/pve1/lxc/200/config",
            "description",
            "changed"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/qemu",
            "/nodes/pve1/qemu",
            "vmid",
            "900",
            "name",
            "new-vm",
            "memory",
            "1024",
            "net0",
            "virtio,bridge=vmbr0"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/lxc",
            "/nodes/pve1/lxc",
            "vmid",
            "901",
            "hostname",
            "new-ct",
            "ostemplate",
            "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/qemu/{vmid}/migrate",
            "/nodes/pve1/qemu/900/migrate",
            "target",
            "pve2"));
    out.add(
        req(
            "POST",
            "/nodes/{node}/lxc/{vmid}/migrate",
            "/nodes/pve1/lxc/901/migrate",
            "target",
            "pve2"));
    out.add(req("DELETE", "/nodes/{node}/qemu/{vmid}", "/nodes/pve2/qemu/900"));
    out.add(req("DELETE", "/nodes/{node}/lxc/{vmid}", "/nodes/pve2/lxc/901"));
    out.add(req("POST", "/pools", "/pools", "poolid", "conf-a", "comment", "a"));
    out.add(req("POST", "/pools", "/pools", "poolid", "conf-b"));
    out.add(req("PUT", "/pools/{poolid}", "/pools/conf-a", "comment", "renamed", "vms", "9000"));
    out.add(req("PUT", "/pools", "/pools", "poolid", "conf-b", "comment", "b"));
    out.add(req("PUT", "/pools/{poolid}", "/pools/conf-a", "vms", "9000", "delete", "1"));
    out.add(req("DELETE", "/pools/{poolid}", "/pools/conf-a"));
    out.add(req("DELETE", "/pools", "/pools", "poolid", "conf-b"));
    out.add(req("PUT", "/cluster/firewall/options", "/cluster/firewall/options", "enable", "1"));
    out.add(
        req(
            "POST",
            "/access/users/{userid}/token/{tokenid}",
            "/access/users/root@pam/token/second",
            "comment",
            "x"));
    out.add(
        req(
            "DELETE",
            "/access/users/{userid}/token/{tokenid}",
            "/access/users/root@pam/token/second"));
    out.add(req("POST", "/access/users", "/access/users", "userid", "conf@pve", "comment", "c"));
    out.add(
        req("POST", "/access/roles", "/access/roles", "roleid", "ConfRole", "privs", "VM.Audit"));
    out.add(
        req(
            "PUT",
            "/access/roles/{roleid}",
            "/access/roles/ConfRole",
            "privs",
            "Sys.Audit",
            "append",
            "1"));
    out.add(
        req(
            "PUT",
            "/access/acl",
            "/access/acl",
            "path",
            "/vms",
            "roles",
            "ConfRole",
            "users",
            "conf@pve"));
    out.add(
        req(
            "POST",
            "/access/ticket",
            "/access/ticket",
            "username",
            "root@pam",
            "password",
            sim.rootPassword()));
    return out;
  }

  private static Request req(String method, String template, String path, String... kv) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new Request(new Endpoint(method, template), path, params);
  }

  static List<Endpoint> servedEndpoints() {
    try (InputStream in =
        ConformanceTest.class.getResourceAsStream("/schema/served-endpoints.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .map(l -> l.split("\\s+"))
          .map(p -> new Endpoint(p[0], p[1]))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** path -> method -> returns schema, from the committed condensed schema. */
  static Map<String, Map<String, JsonNode>> condensed(PveVersion version) throws IOException {
    try (InputStream in =
        ConformanceTest.class.getResourceAsStream(
            "/schema/condensed-" + version.release() + ".json")) {
      JsonNode root = SimClient.JSON.readTree(in);
      Map<String, Map<String, JsonNode>> out = new HashMap<>();
      for (Map.Entry<String, JsonNode> p : root.get("endpoints").properties()) {
        Map<String, JsonNode> methods = new HashMap<>();
        for (Map.Entry<String, JsonNode> m : p.getValue().properties()) {
          methods.put(m.getKey(), m.getValue().get("returns"));
        }
        out.put(p.getKey(), methods);
      }
      return out;
    }
  }

  private static void index(JsonNode nodes, Map<String, Map<String, JsonNode>> out) {
    for (JsonNode node : nodes) {
      Map<String, JsonNode> methods = new HashMap<>();
      JsonNode info = node.get("info");
      if (info != null) {
        for (Map.Entry<String, JsonNode> m : info.properties()) {
          methods.put(m.getKey(), m.getValue().path("returns"));
        }
      }
      out.put(node.get("path").asString(), methods);
      if (node.has("children")) {
        index(node.get("children"), out);
      }
    }
  }

  /**
   * The reference schema directory (../shared/proxmox/schema next to the repository), if present.
   */
  static Optional<Path> fullSchema(PveVersion version) throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path schemaDir = p.resolve("shared/proxmox/schema");
      if (Files.isDirectory(schemaDir)) {
        try (Stream<Path> files = Files.list(schemaDir)) {
          Optional<Path> match =
              files
                  .filter(
                      f -> f.getFileName().toString().startsWith("apidata-" + version.release()))
                  .findFirst();
          if (match.isPresent()) {
            return match;
          }
        }
      }
    }
    return Optional.empty();
  }
}
