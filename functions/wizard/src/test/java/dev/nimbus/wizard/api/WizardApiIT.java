package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.pvesim.Acl;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.pvesim.Totp;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;

/**
 * Every wizard route through the real Lambda handler, on the AWS emulator and a simulated PVE 9.1
 * cluster: the happy path and each error class. The tests run in order, like a user walking the
 * wizard and then administering the connection.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WizardApiIT {
  static final String ACME = "acme";
  static final String OTHER = "globex";
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private PveSimulator sim;
  private ApiClient api;
  private AwsTestEnvironment aws;
  private SqsClient sqs;
  private String queueUrl;
  private ApiToken auditor;
  private ApiToken vmsOnly;
  private String totpSecret;
  private final List<String> secrets = new ArrayList<>();

  @BeforeAll
  void start(AwsTestEnvironment aws) {
    this.aws = aws;
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    auditor = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
    vmsOnly =
        sim.createToken(
            "audit@pve",
            "vms",
            true,
            Acl.of("/vms", "audit@pve", Roles.PVE_AUDITOR),
            Acl.of("/vms", "audit@pve!vms", Roles.PVE_AUDITOR));
    totpSecret = sim.enableTotp("root@pam");
    secrets.addAll(List.of(auditor.secret(), vmsOnly.secret(), sim.rootPassword()));
    sqs = aws.clients().sqs();
    queueUrl = sqs.createQueue(b -> b.queueName("wizard-" + aws.tableName())).queueUrl();
    WizardEnvironment.configure(aws, queueUrl);
    api = new ApiClient();
    api.captureLogs();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      // Whatever the tests did, no secret may be in any answer or log line.
      String logs = api.logs();
      for (String secret : secrets) {
        assertThat(logs).doesNotContain(secret);
        assertThat(api.bodies()).noneMatch(b -> b.contains(secret));
      }
      api.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  Map<String, Object> endpoint() {
    return Map.of("host", "127.0.0.1", "port", sim.port());
  }

  Map<String, Object> pins() {
    Map<String, String> pins = new LinkedHashMap<>();
    for (String n : List.of("pve1", "pve2", "pve3")) {
      pins.put(n, sim.fingerprint(n));
    }
    return Map.of("pinnedFingerprints", pins);
  }

  static Map<String, Object> token(ApiToken t) {
    return Map.of("tokenId", t.fullId(), "tokenSecret", t.secret());
  }

  Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", endpoint());
    m.put("tls", pins());
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static JsonNode feature(JsonNode check, String name) {
    for (JsonNode f : check.path("permissions").path("features")) {
      if (f.path("feature").asString().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + check);
  }

  // ---- probe ----

  @Test
  @Order(1)
  void probeShowsTheEntryNodesChainWithoutTrustingIt() {
    ApiClient.Response r = api.call(ACME, "POST", "/api/probe", Map.of("endpoint", endpoint()));

    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.path("fingerprint").asString()).isEqualTo(sim.fingerprint("pve1"));
    assertThat(j.path("trustedBySystem").asBoolean()).isFalse();
    assertThat(j.path("hostnameMatches").asBoolean()).isTrue();
    assertThat(j.path("chain")).hasSize(2);
    assertThat(j.path("chain").get(0).path("subjectAlternativeNames").toString())
        .contains("DNS:pve1");
    assertThat(j.path("chain").get(1).path("subject").asString())
        .contains("PVE Cluster Manager CA");
    assertThat(j.path("chain").get(0).path("notAfter").asString()).matches("\\d{4}-.*Z");
  }

  @Test
  @Order(2)
  void probeRefusesMetadataAddressesAndReportsMissingFields() {
    ApiClient.Response metadata =
        api.call(ACME, "POST", "/api/probe", Map.of("endpoint", Map.of("host", "169.254.169.254")));
    assertThat(metadata.status()).isEqualTo(422);
    assertThat(metadata.contentType()).isEqualTo("application/problem+json");
    assertThat(metadata.json().path("type").asString()).endsWith("/policy");
    assertThat(metadata.fields()).containsExactly("endpoint.host");

    ApiClient.Response missing =
        api.call(ACME, "POST", "/api/probe", Map.of("endpoint", Map.of("port", 70000)));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.fields()).contains("endpoint.host", "endpoint.port");

    ApiClient.Response noTenant = api.call(null, "POST", "/api/probe", Map.of());
    assertThat(noTenant.status()).isEqualTo(403);
  }

  // ---- check ----

  @Test
  @Order(10)
  void checkWithAnAuditorTokenListsClusterNodesPinsAndWhatEachFeatureStillNeeds() {
    ApiClient.Response r =
        api.call(ACME, "POST", "/api/check", body("credentials", token(auditor)));

    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.path("version").asString()).startsWith("9.1");
    assertThat(j.path("clusterName").asString()).isNotBlank();
    assertThat(j.path("privilegeSeparated").asBoolean()).isTrue();
    assertThat(j.path("nodes")).hasSize(3);
    for (JsonNode n : j.path("nodes")) {
      assertThat(n.path("sslFingerprint").asString())
          .isEqualTo(sim.fingerprint(n.path("node").asString()));
      assertThat(n.path("pinMatches").asBoolean()).isTrue();
    }
    assertThat(j.path("nodes").get(0).path("fingerprintSource").asString()).isEqualTo("probe");
    assertThat(feature(j, "DISCOVERY").path("granted").asBoolean()).isTrue();
    assertThat(feature(j, "GUEST_AGENT").path("granted").asBoolean()).isTrue();
    assertThat(feature(j, "USAGE").path("granted").asBoolean()).isTrue();
    JsonNode change = feature(j, "CHANGE_DETECTION");
    assertThat(change.path("granted").asBoolean()).isFalse();
    assertThat(change.path("missing").get(0).path("name").asString()).isEqualTo("Sys.Syslog");
    assertThat(change.path("commands").toString())
        .contains("pveum role add NimbusChangeDetection --privs 'Sys.Syslog'")
        .contains(
            "pveum acl modify / --tokens 'discovery@pve!nimbus' --roles NimbusChangeDetection");
    // Deployment is judged per program (issue 15); the first is the VM program.
    JsonNode vmDeploy = feature(j, "DEPLOYMENT");
    assertThat(vmDeploy.path("program").asString()).isEqualTo("vm");
    assertThat(vmDeploy.path("missing").toString()).contains("VM.Clone", "VM.Allocate");
  }

  @Test
  @Order(11)
  void aTokenWithPveAuditorOnVmsOnlyGetsItsMissingPrivilegesAndPveumCommands() {
    ApiClient.Response r =
        api.call(ACME, "POST", "/api/check", body("credentials", token(vmsOnly)));

    assertThat(r.status()).isEqualTo(200);
    JsonNode discovery = feature(r.json(), "DISCOVERY");
    assertThat(discovery.path("granted").asBoolean()).isFalse();
    List<String> missing = new ArrayList<>();
    discovery
        .path("missing")
        .forEach(m -> missing.add(m.path("name").asString() + " on " + m.path("path").asString()));
    assertThat(missing)
        .containsExactly(
            "Sys.Audit on /",
            "Datastore.Audit on /storage",
            "Pool.Audit on /pool",
            "SDN.Audit on /sdn");
    assertThat(discovery.path("commands").toString())
        .contains("pveum acl modify / --users 'audit@pve' --roles PVEAuditor")
        .contains("pveum acl modify / --tokens 'audit@pve!vms' --roles PVEAuditor");
    assertThat(feature(r.json(), "GUEST_AGENT").path("granted").asBoolean()).isTrue();
  }

  @Test
  @Order(12)
  void aWrongFingerprintOrSecretIsRefusedWithTheFieldToFix() {
    Map<String, Object> wrongPin =
        body(
            "credentials",
            token(auditor),
            "tls",
            Map.of("pinnedFingerprints", Map.of("pve1", "AB" + ":AB".repeat(31))));
    ApiClient.Response mismatch = api.call(ACME, "POST", "/api/check", wrongPin);
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.json().path("type").asString()).endsWith("/certificate-mismatch");
    assertThat(mismatch.json().path("detail").asString()).contains(sim.fingerprint("pve1"));
    assertThat(mismatch.fields()).containsExactly("tls.pinnedFingerprints");

    ApiClient.Response badSecret =
        api.call(
            ACME,
            "POST",
            "/api/check",
            body(
                "credentials",
                Map.of(
                    "tokenId",
                    auditor.fullId(),
                    "tokenSecret",
                    "11111111-2222-3333-4444-555555555555")));
    assertThat(badSecret.status()).isEqualTo(422);
    assertThat(badSecret.json().path("type").asString()).endsWith("/authentication");
    assertThat(badSecret.fields()).containsExactly("credentials");
  }

  // ---- save: refused without storing ----

  @Test
  @Order(20)
  void savingWithAWrongFingerprintIsRefusedAndStoresNothing() {
    Map<String, Object> create =
        body(
            "connectionId",
            "lab",
            "name",
            "Lab",
            "credentials",
            token(auditor),
            "tls",
            Map.of("pinnedFingerprints", Map.of("pve1", "CD" + ":CD".repeat(31))));

    ApiClient.Response r = api.call(ACME, "POST", "/api/connections", create);

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("type").asString()).endsWith("/certificate-mismatch");
    assertThat(api.call(ACME, "GET", "/api/connections", null).json().path("items")).isEmpty();
    var items =
        aws.clients()
            .dynamoDb()
            .query(
                b ->
                    b.tableName(aws.tableName())
                        .keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS("TENANT#acme"))))
            .items();
    assertThat(items).isEmpty();
  }

  // ---- mint with password and TOTP ----

  @Test
  @Order(30)
  void mintingNeedsTheOneTimeCodeWhenTheAccountHasTfa() {
    ApiClient.Response r =
        api.call(
            ACME,
            "POST",
            "/api/mint",
            body(
                "connectionId",
                "lab",
                "login",
                Map.of("username", "root@pam", "password", sim.rootPassword())));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("type").asString()).endsWith("/tfa-required");
    assertThat(r.fields()).containsExactly("login.otp");
  }

  @Test
  @Order(31)
  void mintingWithPasswordAndTotpCreatesALeastPrivilegeTokenAndKeepsOnlyItsCiphertext() {
    ApiClient.Response r =
        api.call(
            ACME,
            "POST",
            "/api/mint",
            body(
                "connectionId", "lab",
                "login",
                    Map.of(
                        "username", "root@pam",
                        "password", sim.rootPassword(),
                        "otp", Totp.code(totpSecret, Instant.now())),
                "userId", "nimbus@pve",
                "tokenName", "discovery",
                "features", List.of("DISCOVERY", "CHANGE_DETECTION")));

    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.path("tokenId").asString()).isEqualTo("nimbus@pve!discovery");
    assertThat(j.path("userCreated").asBoolean()).isTrue();
    assertThat(j.path("roleId").asString()).isEqualTo("Nimbus-discovery");
    assertThat(j.path("privileges").toString())
        .contains("Sys.Syslog", "VM.Audit", "SDN.Audit")
        .doesNotContain("VM.Allocate");
    assertThat(feature(j.path("check"), "DISCOVERY").path("granted").asBoolean()).isTrue();
    assertThat(feature(j.path("check"), "CHANGE_DETECTION").path("granted").asBoolean()).isTrue();
    assertThat(feature(j.path("check"), "DEPLOYMENT").path("granted").asBoolean()).isFalse();
    assertThat(j.path("check").path("privilegeSeparated").asBoolean()).isTrue();
    assertThat(r.body()).doesNotContainPattern(UUID_TEXT);

    // The pending item and, after saving, the connection hold the secret only as ciphertext.
    Map<String, AttributeValue> pendingItem = item("TENANT#acme", "MINTED#lab");
    assertThat(pendingItem.get("tokenSecret").m().get("ciphertext").b()).isNotNull();
    assertOnlyCiphertext(pendingItem);

    ApiClient.Response saved =
        api.call(
            ACME,
            "POST",
            "/api/connections",
            body(
                "connectionId", "lab",
                "name", "Lab cluster",
                "credentials", Map.of("minted", true),
                "schedule", "rate(15 minutes)"));
    assertThat(saved.status()).isEqualTo(201);
    assertThat(saved.json().path("tokenId").asString()).isEqualTo("nimbus@pve!discovery");
    assertThat(saved.json().path("status").asString()).isEqualTo("PENDING");
    assertThat(item("TENANT#acme", "MINTED#lab")).isEmpty();
    Map<String, AttributeValue> connection = item("TENANT#acme", "CONN#lab");
    assertOnlyCiphertext(connection);
    try (ResolvedConnection resolved = connections().resolve(new ConnectionRef(ACME, "lab"))) {
      String secret = resolved.tokenSecret().reveal();
      secrets.add(secret);
      assertThat(connection.toString()).doesNotContain(secret);
      assertThat(ProxmoxClients.create(resolved, 2, Clock.systemUTC()).version().version())
          .startsWith("9.1");
    }
  }

  private Map<String, AttributeValue> item(String pk, String sk) {
    return aws.clients()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(aws.tableName())
                    .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))
                    .consistentRead(true))
        .item();
  }

  private static void assertOnlyCiphertext(Map<String, AttributeValue> item) {
    // No string anywhere in the item looks like a Proxmox token secret (a UUID), except the KMS
    // key's ARN; the secret itself is binary ciphertext.
    List<String> strings = new ArrayList<>();
    collect(item, strings);
    assertThat(strings).noneMatch(s -> UUID_TEXT.matcher(s).find());
    assertThat(item.get("tokenSecret").m().get("ciphertext").b().asByteArray())
        .hasSizeGreaterThan(16);
  }

  private static void collect(Map<String, AttributeValue> item, List<String> out) {
    item.forEach(
        (name, v) -> {
          if (v.s() != null && !name.equals("keyId")) {
            out.add(v.s());
          }
          if (v.hasM()) {
            collect(v.m(), out);
          }
        });
  }

  ConnectionService connections() {
    return ConnectionService.create(
        aws.clients(), new ConnectionsConfig(aws.tableName(), aws.keyAlias()), Clock.systemUTC());
  }

  // ---- preview ----

  @Test
  @Order(32)
  void previewCountsWhatTheFirstRunWouldFindAndWritesNothing() {
    Map<String, Object> request =
        body(
            "connectionId", "preview",
            "credentials", token(auditor),
            "scope", Map.of("kind", "everything"));
    ApiClient.Response started = api.call(ACME, "POST", "/api/preview", request);
    // Start and poll: answered at once with an id, the work runs in a second invocation.
    assertThat(started.status()).isEqualTo(202);
    String previewId = started.json().path("previewId").asString();
    assertThat(previewId).matches("[0-9a-f]{32}");
    assertThat(started.json().path("poll").asString()).isEqualTo("/api/preview/" + previewId);

    ApiClient.Response r = api.previewToEnd(ACME, request);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asString()).isEqualTo("done");
    assertThat(r.json().path("connectionId").asString()).isEqualTo("preview");
    JsonNode j = r.json().path("result");
    assertThat(j.path("complete").asBoolean()).isTrue();
    assertThat(j.path("counts").path("COMPUTE").asInt()).isEqualTo(sim.cluster().guests().size());
    assertThat(j.path("counts").path("HOST").asInt()).isEqualTo(3);
    assertThat(j.path("proxmoxCalls").asLong()).isPositive();
    assertThat(
            new DynamoDbCiRepository(
                    aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults())
                .allOfConnection(new ConnectionRef(ACME, "preview")))
        .isEmpty();

    // The preview items hold no token secret in clear, and a finished one no request at all.
    List<Map<String, AttributeValue>> items =
        aws.clients().dynamoDb().scan(b -> b.tableName(aws.tableName())).items().stream()
            .filter(i -> i.get("SK") != null && i.get("SK").s().startsWith("PREVIEW#"))
            .toList();
    assertThat(items).hasSizeGreaterThanOrEqualTo(2);
    for (Map<String, AttributeValue> item : items) {
      assertThat(item.get("PK").s()).isEqualTo("TENANT#" + ACME);
      assertThat(item.get("expiresAt").n()).isNotEmpty();
      assertThat(item.toString()).doesNotContain(auditor.secret());
    }
    assertThat(items)
        .filteredOn(i -> i.get("status").s().equals("DONE"))
        .allMatch(i -> !i.containsKey("request"));

    // The poll is tenant-scoped: another tenant's JWT finds nothing; a bad id is not found.
    ApiClient.Response foreign = api.call(OTHER, "GET", "/api/preview/" + previewId, null);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.body()).doesNotContain("COMPUTE");
    assertThat(api.call(ACME, "GET", "/api/preview/not-an-id", null).status()).isEqualTo(404);
    assertThat(api.call(ACME, "GET", "/api/preview/" + "0".repeat(32), null).status())
        .isEqualTo(404);

    ApiClient.Response badScope =
        api.call(
            ACME,
            "POST",
            "/api/preview",
            body(
                "credentials",
                token(auditor),
                "scope",
                Map.of("kind", "pools", "names", List.of("bad pool"))));
    assertThat(badScope.status()).isEqualTo(400);
    // A refused host is refused at the start, before anything is stored.
    Map<String, Object> metadata = new LinkedHashMap<>(body("credentials", token(auditor)));
    metadata.put("endpoint", Map.of("host", "169.254.169.254", "port", 8006));
    assertThat(api.call(ACME, "POST", "/api/preview", metadata).status()).isEqualTo(422);
  }

  @Test
  @Order(33)
  void aPreviewThatFailsInTheSecondInvocationReportsTheProblemTheCallWouldHaveAnswered() {
    Map<String, Object> wrongPin = new LinkedHashMap<>(body("credentials", token(auditor)));
    wrongPin.put("tls", Map.of("pinnedFingerprints", Map.of("pve1", "AA:".repeat(31) + "AA")));
    ApiClient.Response r = api.previewToEnd(ACME, wrongPin);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asString()).isEqualTo("failed");
    JsonNode problem = r.json().path("problem");
    assertThat(problem.path("status").asInt()).isBetween(400, 499);
    assertThat(problem.path("type").asString()).doesNotEndWith("/internal");
    assertThat(r.body()).doesNotContain(auditor.secret());
  }

  // ---- connections ----

  @Test
  @Order(40)
  void theConnectionIsListedReadChangedDisabledAndRunNowQueuesADiscovery() {
    JsonNode list = api.call(ACME, "GET", "/api/connections", null).json();
    assertThat(list.path("items")).hasSize(1);
    JsonNode lab = api.call(ACME, "GET", "/api/connections/lab", null).json();
    assertThat(lab.path("tls").path("pinnedFingerprints").path("pve2").asString())
        .isEqualTo(sim.fingerprint("pve2"));
    long version = lab.path("version").asLong();

    ApiClient.Response changed =
        api.call(
            ACME,
            "PATCH",
            "/api/connections/lab",
            Map.of(
                "version",
                version,
                "schedule",
                "rate(30 minutes)",
                "scope",
                Map.of("kind", "pools", "names", List.of("prod"))));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().path("schedule").asString()).isEqualTo("rate(30 minutes)");
    assertThat(changed.json().path("scope").path("names").get(0).asString()).isEqualTo("prod");

    ApiClient.Response stale =
        api.call(ACME, "PATCH", "/api/connections/lab", Map.of("version", version, "name", "x"));
    assertThat(stale.status()).isEqualTo(409);
    ApiClient.Response badSchedule =
        api.call(
            ACME,
            "PATCH",
            "/api/connections/lab",
            Map.of("version", version + 1, "schedule", "rate(1 minute)"));
    assertThat(badSchedule.status()).isEqualTo(400);
    assertThat(badSchedule.fields()).containsExactly("schedule");

    JsonNode disabled =
        api.call(ACME, "POST", "/api/connections/lab/disable", Map.of("version", version + 1))
            .json();
    assertThat(disabled.path("status").asString()).isEqualTo("DISABLED");
    assertThat(api.call(ACME, "POST", "/api/connections/lab/run", null).status()).isEqualTo(409);
    JsonNode enabled =
        api.call(ACME, "POST", "/api/connections/lab/enable", Map.of("version", version + 2))
            .json();
    assertThat(enabled.path("status").asString()).isEqualTo("PENDING");

    ApiClient.Response run = api.call(ACME, "POST", "/api/connections/lab/run", null);
    assertThat(run.status()).isEqualTo(202);
    var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
    assertThat(messages).hasSize(1);
    JsonNode message = ApiClient.JSON.readTree(messages.getFirst().body());
    assertThat(message.path("tenantId").asString()).isEqualTo("acme");
    assertThat(message.path("connectionId").asString()).isEqualTo("lab");
  }

  @Test
  @Order(41)
  void replacingTheTokenProvesTheNewOneFirst() {
    long version =
        api.call(ACME, "GET", "/api/connections/lab", null).json().path("version").asLong();

    ApiClient.Response bad =
        api.call(
            ACME,
            "PUT",
            "/api/connections/lab/token",
            Map.of(
                "version",
                version,
                "credentials",
                Map.of(
                    "tokenId",
                    auditor.fullId(),
                    "tokenSecret",
                    "11111111-2222-3333-4444-555555555555")));
    assertThat(bad.status()).isEqualTo(422);

    ApiClient.Response ok =
        api.call(
            ACME,
            "PUT",
            "/api/connections/lab/token",
            Map.of("version", version, "credentials", token(auditor)));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("tokenId").asString()).isEqualTo(auditor.fullId());
    assertThat(ok.json().path("version").asLong()).isEqualTo(version + 1);
  }

  // ---- CIs ----

  @Test
  @Order(50)
  void cisAreFoundByTypeTextAndCompartmentAndOneCiShowsRelationshipsAndItsHistoryDiff() {
    ConnectionRef lab = new ConnectionRef(ACME, "lab");
    // Memory hot-plug on, so the running VM takes the new memory at once instead of keeping it
    // in its pending section (as qemu-server does).
    sim.admin().editGuestConfig(101, "hotplug", "network,disk,usb,memory", "root@pam");
    discover(lab);
    sim.admin().changeGuestConfig(101, "memory", "16384", "alice@pve");
    discover(lab);

    JsonNode compute = api.call(ACME, "GET", "/api/cis", Map.of("type", "compute"), null).json();
    assertThat(compute.path("items").size()).isEqualTo(sim.cluster().guests().size());
    JsonNode text = api.call(ACME, "GET", "/api/cis", Map.of("q", "web-01"), null).json();
    assertThat(text.path("items").toString()).contains("\"nativeKey\":\"qemu/101\"");
    JsonNode pool =
        api.call(
                ACME,
                "GET",
                "/api/cis",
                Map.of("connection", "lab", "compartment", "pool/prod/web"),
                null)
            .json();
    assertThat(pool.path("items").toString()).contains("qemu/101");

    JsonNode ci =
        api.call(ACME, "GET", "/api/connections/lab/ci", Map.of("key", "qemu/101"), null).json();
    assertThat(ci.path("name").asString()).isEqualTo("web-01");
    assertThat(ci.path("relationships").toString())
        .contains(
            "\"kind\":\"RUNS_ON\"", "\"targetNativeKey\":\"node/pve1\"", "\"targetName\":\"pve1\"");

    JsonNode history =
        api.call(ACME, "GET", "/api/connections/lab/ci/history", Map.of("key", "qemu/101"), null)
            .json();
    JsonNode latest = history.path("items").get(0);
    assertThat(latest.path("changeKind").asString()).isEqualTo("UPDATED");
    assertThat(latest.path("attribution").path("user").asString()).isEqualTo("alice@pve");
    assertThat(latest.path("changedProperties").toString())
        .contains("attributes.memoryMiB", "8192", "16384");

    assertThat(
            api.call(ACME, "GET", "/api/connections/lab/ci", Map.of("key", "qemu/999"), null)
                .status())
        .isEqualTo(404);
    assertThat(api.call(ACME, "GET", "/api/cis", Map.of("type", "nonsense"), null).status())
        .isEqualTo(400);
    JsonNode runs = api.call(ACME, "GET", "/api/connections/lab/runs", null).json();
    assertThat(runs.path("items")).hasSize(2);
  }

  private void discover(ConnectionRef ref) {
    var repo =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
    CmdbService cmdb = new CmdbService(repo, CmdbSettings.defaults(), Clock.systemUTC());
    try (ResolvedConnection c = connections().resolve(ref)) {
      ProxmoxClient client = ProxmoxClients.create(c, 4, Clock.systemUTC());
      var session = cmdb.open(ref);
      Instant start = Instant.now();
      var snapshot =
          new ProxmoxProvider(
                  client, ref, c.tokenId(), DiscoveryOptions.defaults(), Clock.systemUTC())
              .discover(new DiscoveryScope.Everything(), session.previousSnapshot());
      var applied = session.apply(snapshot);
      repo.saveRun(dev.nimbus.cmdb.RunRecord.of(snapshot, applied, start, Instant.now()));
    }
  }

  // ---- re-pin ----

  @Test
  @Order(60)
  void afterANodeCertificateRotatesTheRePinShowsOldAndNewAndStoresTheConfirmedPins() {
    String old = sim.fingerprint("pve2");
    String fresh = sim.rotateCertificate("pve2");

    ApiClient.Response plan = api.call(ACME, "POST", "/api/connections/lab/repin/plan", null);
    assertThat(plan.status()).isEqualTo(200);
    JsonNode p = plan.json();
    assertThat(p.path("entryTrusted").asBoolean()).isTrue();
    JsonNode pve2 = null;
    for (JsonNode n : p.path("nodes")) {
      if (n.path("node").asString().equals("pve2")) {
        pve2 = n;
      } else {
        assertThat(n.path("changed").asBoolean()).isFalse();
      }
    }
    assertThat(pve2.path("pinned").asString()).isEqualTo(old);
    assertThat(pve2.path("current").asString()).isEqualTo(fresh);
    assertThat(pve2.path("changed").asBoolean()).isTrue();

    ApiClient.Response wrong =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/repin",
            Map.of("version", p.path("version").asLong(), "fingerprints", Map.of("pve2", old)));
    assertThat(wrong.status()).isEqualTo(409);

    ApiClient.Response confirmed =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/repin",
            Map.of("version", p.path("version").asLong(), "fingerprints", Map.of("pve2", fresh)));
    assertThat(confirmed.status()).isEqualTo(200);
    JsonNode lab = api.call(ACME, "GET", "/api/connections/lab", null).json();
    assertThat(lab.path("tls").path("pinnedFingerprints").path("pve2").asString()).isEqualTo(fresh);
    assertThat(lab.path("tls").path("pinnedFingerprints").path("pve1").asString())
        .isEqualTo(sim.fingerprint("pve1"));
  }

  // ---- tenants ----

  @Test
  @Order(70)
  void anotherTenantsJwtFindsNothing() {
    assertThat(api.call(OTHER, "GET", "/api/connections", null).json().path("items")).isEmpty();
    assertThat(api.call(OTHER, "GET", "/api/connections/lab", null).status()).isEqualTo(404);
    assertThat(api.call(OTHER, "POST", "/api/connections/lab/run", null).status()).isEqualTo(404);
    assertThat(api.call(OTHER, "GET", "/api/connections/lab/runs", null).status()).isEqualTo(404);
    assertThat(api.call(OTHER, "POST", "/api/connections/lab/repin/plan", null).status())
        .isEqualTo(404);
    assertThat(
            api.call(OTHER, "GET", "/api/connections/lab/ci", Map.of("key", "qemu/101"), null)
                .status())
        .isEqualTo(404);
    assertThat(api.call(OTHER, "GET", "/api/cis", Map.of("q", "web"), null).json().path("items"))
        .isEmpty();
    assertThat(
            api.call(OTHER, "GET", "/api/cis", Map.of("type", "COMPUTE"), null)
                .json()
                .path("items"))
        .isEmpty();
    assertThat(
            api.call(OTHER, "PATCH", "/api/connections/lab", Map.of("version", 1, "name", "mine"))
                .status())
        .isEqualTo(404);
    assertThat(
            api.call(OTHER, "DELETE", "/api/connections/lab", Map.of("version", "1"), null)
                .status())
        .isEqualTo(404);
  }

  @Test
  @Order(80)
  void deleteNeedsTheCurrentVersion() {
    long version =
        api.call(ACME, "GET", "/api/connections/lab", null).json().path("version").asLong();
    assertThat(
            api.call(
                    ACME,
                    "DELETE",
                    "/api/connections/lab",
                    Map.of("version", String.valueOf(version - 1)),
                    null)
                .status())
        .isEqualTo(409);
    assertThat(
            api.call(
                    ACME,
                    "DELETE",
                    "/api/connections/lab",
                    Map.of("version", String.valueOf(version)),
                    null)
                .status())
        .isEqualTo(204);
    assertThat(api.call(ACME, "GET", "/api/connections/lab", null).status()).isEqualTo(404);
  }
}
