package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.ProxmoxClients;
import dev.nimbus.connections.ResolvedConnection;
import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.Operation;
import dev.nimbus.deployments.RunStatus;
import dev.nimbus.deployments.StackNames;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftClass;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.deployments.drift.DriftStatus;
import dev.nimbus.deployments.dynamodb.DynamoDbDeploymentRunStore;
import dev.nimbus.deployments.dynamodb.DynamoDbDriftStore;
import dev.nimbus.infra.programs.CmdbInventory;
import dev.nimbus.infra.programs.ProgramCatalog;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.usage.DailyRollup;
import dev.nimbus.usage.HourlyUsage;
import dev.nimbus.usage.UsageTotals;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.usage.dynamodb.UsageSampleLeases;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage and cost, deployment and drift routes through the real Lambda handler on the AWS
 * emulator and a simulated PVE 9.1 cluster (discovered into the CMDB): the happy path and each
 * error class, another tenant's JWT (404), and every hand-off to the usage and runner functions
 * checked at the AWS boundary (the SDK's Lambda request, recorded, answered 202 by the emulator's
 * Lambda).
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsApiIT {
  static final String ACME = "acme";
  static final String OTHER = "globex";
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOa9v0dDq4yWkz alice@laptop";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PveSimulator sim;
  private ApiClient api;
  private AwsTestEnvironment aws;
  private ApiToken auditor;
  private final ConnectionRef lab = new ConnectionRef(ACME, "lab");

  @BeforeAll
  void start(AwsTestEnvironment aws) throws Exception {
    this.aws = aws;
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    auditor = sim.createToken("discovery@pve", "nimbus", Roles.PVE_AUDITOR, true);
    String queueUrl =
        aws.clients().sqs().createQueue(b -> b.queueName("ops-" + aws.tableName())).queueUrl();
    createFunctions();
    WizardEnvironment.configure(aws, queueUrl);
    api = new ApiClient();
    api.captureLogs();
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("connectionId", "lab");
    create.put("name", "Lab");
    create.put("endpoint", Map.of("host", "127.0.0.1", "port", sim.port()));
    Map<String, String> pins = new LinkedHashMap<>();
    for (String n : List.of("pve1", "pve2", "pve3")) {
      pins.put(n, sim.fingerprint(n));
    }
    create.put("tls", Map.of("pinnedFingerprints", pins));
    create.put("credentials", Map.of("tokenId", auditor.fullId(), "tokenSecret", auditor.secret()));
    assertThat(api.call(ACME, "POST", "/api/connections", create).status()).isEqualTo(201);
    discover(lab);
  }

  /** The usage and runner functions (and a role for them) on the emulator's Lambda. */
  private void createFunctions() throws Exception {
    try (IamClient iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .endpointOverride(aws.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "test", "test")))
            .build()) {
      String role =
          iam.createRole(
                  b ->
                      b.roleName("ops-" + aws.tableName())
                          .assumeRolePolicyDocument(
                              "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
              .role()
              .arn();
      ByteArrayOutputStream zip = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(zip)) {
        z.putNextEntry(new ZipEntry("placeholder.txt"));
        z.write("the emulator only queues events for it".getBytes());
        z.closeEntry();
      }
      for (String name :
          List.of(WizardEnvironment.USAGE_FUNCTION, WizardEnvironment.RUNNER_FUNCTION)) {
        aws.clients()
            .lambda()
            .createFunction(
                b ->
                    b.functionName(name)
                        .runtime(Runtime.JAVA21)
                        .role(role)
                        .handler("x")
                        .code(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray()))));
      }
    }
  }

  @BeforeEach
  void clearInvocations() {
    RecordedInvocations.clear();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      String logs = api.logs();
      assertThat(logs).doesNotContain(auditor.secret());
      assertThat(api.bodies()).noneMatch(b -> b.contains(auditor.secret()));
      api.close();
    }
    if (sim != null) {
      sim.close();
    }
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

  ConnectionService connections() {
    return ConnectionService.create(
        aws.clients(), new ConnectionsConfig(aws.tableName(), aws.keyAlias()), Clock.systemUTC());
  }

  private ApiClient.Response get(String tenant, String path, Map<String, String> query) {
    return api.call(tenant, "GET", path, query, null);
  }

  private static Map<String, Object> json(String text) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = JSON.readValue(text, Map.class);
    return m;
  }

  // ---- rate cards ----

  @Test
  @Order(1)
  void aRateCardWithNegativeOrNonNumericPricesIsRefusedAndNothingIsWritten() {
    Map<String, Object> bad =
        Map.of(
            "currency",
            "EUR",
            "base",
            Map.of("vcpuHour", "-0.01", "memoryGibHour", "cheap", "networkGb", "0.01"));
    ApiClient.Response r = api.call(ACME, "PUT", "/api/connections/lab/ratecard", bad);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.fields()).contains("base.vcpuHour", "base.memoryGibHour");

    ApiClient.Response notNumber =
        api.call(
            ACME,
            "PUT",
            "/api/connections/lab/ratecard",
            Map.of("currency", "XXQ", "base", Map.of("vcpuHour", true)));
    assertThat(notNumber.status()).isEqualTo(400);
    assertThat(notNumber.fields()).contains("base.vcpuHour");

    assertThat(get(ACME, "/api/connections/lab/ratecard", Map.of()).status()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void aRateCardIsCreatedReadAndUpdatedWithNodeClassesAndIsInvisibleToAnotherTenant() {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("currency", "EUR");
    card.put(
        "base",
        Map.of(
            "vcpuHour",
            "0.02",
            "memoryGibHour",
            0.005,
            "networkGb",
            "0.01",
            "storageGbMonth",
            Map.of("*", "0.02")));
    card.put("nodeClasses", Map.of("pve1", "fast"));
    card.put("classRates", Map.of("fast", Map.of("vcpuHour", "0.03")));

    ApiClient.Response created = api.call(ACME, "PUT", "/api/connections/lab/ratecard", card);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("version").asLong()).isEqualTo(1);

    JsonNode read = get(ACME, "/api/connections/lab/ratecard", Map.of()).json();
    assertThat(read.path("base").path("vcpuHour").asString()).isEqualTo("0.02");
    assertThat(read.path("base").path("memoryGibHour").asString()).isEqualTo("0.005");
    assertThat(read.path("classRates").path("fast").path("vcpuHour").asString()).isEqualTo("0.03");
    assertThat(read.path("nodeClasses").path("pve1").asString()).isEqualTo("fast");

    card.put("classRates", Map.of("fast", Map.of("vcpuHour", "0.04")));
    ApiClient.Response updated = api.call(ACME, "PUT", "/api/connections/lab/ratecard", card);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("version").asLong()).isEqualTo(2);
    assertThat(updated.json().path("classRates").path("fast").path("vcpuHour").asString())
        .isEqualTo("0.04");

    assertThat(get(OTHER, "/api/connections/lab/ratecard", Map.of()).status()).isEqualTo(404);
    assertThat(api.call(OTHER, "PUT", "/api/connections/lab/ratecard", card).status())
        .isEqualTo(404);
    assertThat(api.call(ACME, "PUT", "/api/connections/nope/ratecard", card).status())
        .isEqualTo(404);
  }

  // ---- usage and cost ----

  @Test
  @Order(10)
  void usageAndCostByCiAreHourlyAndByCompartmentTenantAndTagDaily() {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    // Two vCPUs and 4 GiB allocated for the whole hour, half a vCPU used.
    UsageTotals totals =
        new UsageTotals(
            3600,
            2 * 3600.0,
            0.5 * 3600,
            4.0 * (1L << 30) * 3600,
            2.0 * (1L << 30) * 3600,
            0,
            0,
            0,
            0,
            1000,
            2000,
            0,
            0);
    var usage = new DynamoDbUsageRepository(aws.clients().dynamoDb(), aws.tableName());
    usage.putHours(
        List.of(
            new HourlyUsage(
                lab,
                "qemu/101",
                hour,
                List.of(
                    new HourlyUsage.Interval(hour.getEpochSecond(), hour.getEpochSecond() + 3600)),
                totals)),
        Instant.now().plus(Duration.ofDays(1)));
    LocalDate day = LocalDate.ofInstant(hour, ZoneOffset.UTC);
    usage.putRollups(
        List.of(
            new DailyRollup(
                ACME,
                DailyRollup.Dimension.COMPARTMENT,
                "prod/web",
                day,
                "lab",
                "pve1",
                "-",
                totals),
            new DailyRollup(
                ACME,
                DailyRollup.Dimension.TENANT,
                DailyRollup.ALL,
                day,
                "lab",
                "pve1",
                "-",
                totals),
            new DailyRollup(
                ACME, DailyRollup.Dimension.TAG, "web", day, "lab", "pve1", "-", totals)),
        Instant.now().plus(Duration.ofDays(1)));
    String from = hour.minus(Duration.ofHours(2)).toString();
    String to = Instant.now().truncatedTo(ChronoUnit.HOURS).toString();

    JsonNode ci =
        get(ACME, "/api/connections/lab/usage", Map.of("key", "qemu/101", "from", from, "to", to))
            .json();
    assertThat(ci.path("rows")).hasSize(1);
    assertThat(ci.path("usage").path("vcpuHoursAllocated").asDouble()).isEqualTo(2.0);
    // pve1 is in class "fast" at 0.04 per vCPU-hour: 2 x 0.04; memory 4 GiB-h x 0.005.
    assertThat(ci.path("cost").path("EUR").path("cpu").asString()).isEqualTo("0.08");
    assertThat(ci.path("cost").path("EUR").path("memory").asString()).isEqualTo("0.02");

    String dayFrom = day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    JsonNode pool =
        get(ACME, "/api/usage/compartment", Map.of("pool", "prod/web", "from", dayFrom, "to", to))
            .json();
    assertThat(pool.path("rows")).hasSize(1);
    assertThat(pool.path("cost").path("EUR").path("total").asString()).isNotEmpty();
    JsonNode tenant = get(ACME, "/api/usage/tenant", Map.of("from", dayFrom, "to", to)).json();
    assertThat(tenant.path("usage").path("vcpuHoursAllocated").asDouble()).isEqualTo(2.0);
    JsonNode tag =
        get(ACME, "/api/usage/tag", Map.of("tag", "web", "from", dayFrom, "to", to)).json();
    assertThat(tag.path("rows")).hasSize(1);

    // Another tenant sees none of it: its own (empty) rollups, and no connection "lab".
    JsonNode foreign = get(OTHER, "/api/usage/tenant", Map.of("from", dayFrom, "to", to)).json();
    assertThat(foreign.path("rows")).isEmpty();
    assertThat(
            get(
                    OTHER,
                    "/api/connections/lab/usage",
                    Map.of("key", "qemu/101", "from", from, "to", to))
                .status())
        .isEqualTo(404);
    assertThat(get(OTHER, "/api/connections/lab/idle", Map.of("from", from, "to", to)).status())
        .isEqualTo(404);
    assertThat(get(ACME, "/api/connections/lab/idle", Map.of("from", from, "to", to)).status())
        .isEqualTo(200);
  }

  @Test
  @Order(11)
  void aRangeInTheFutureLongerThanTheRetentionOrMalformedIsA400() {
    Instant now = Instant.now();
    ApiClient.Response future =
        get(
            ACME,
            "/api/usage/tenant",
            Map.of(
                "from",
                now.plus(Duration.ofDays(2)).toString(),
                "to",
                now.plus(Duration.ofDays(3)).toString()));
    assertThat(future.status()).isEqualTo(400);
    assertThat(future.fields()).contains("from");

    ApiClient.Response tooLong =
        get(
            ACME,
            "/api/connections/lab/usage",
            Map.of(
                "key",
                "qemu/101",
                "from",
                now.minus(Duration.ofDays(500)).toString(),
                "to",
                now.toString()));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.fields()).contains("to");

    assertThat(get(ACME, "/api/usage/tag", Map.of("from", "yesterday", "to", "x")).fields())
        .contains("tag", "from", "to");
    assertThat(get(ACME, "/api/connections/lab/usage", Map.of()).fields()).contains("key");
  }

  @Test
  @Order(12)
  void sampleNowHandsTheConnectionToTheUsageFunctionAndABadRangeHandsNothing() {
    ApiClient.Response now = api.call(ACME, "POST", "/api/connections/lab/usage/sample", null);
    assertThat(now.status()).isEqualTo(202);
    Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant from = to.minus(Duration.ofHours(2));
    ApiClient.Response backfill =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/usage/sample",
            Map.of("from", from.toString(), "to", to.toString()));
    assertThat(backfill.status()).isEqualTo(202);

    List<RecordedInvocations.Invocation> sent = RecordedInvocations.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent)
        .allSatisfy(
            i -> {
              assertThat(i.functionName()).isEqualTo(WizardEnvironment.USAGE_FUNCTION);
              assertThat(i.invocationType()).isEqualTo("Event");
            });
    assertThat(json(sent.get(0).payload()))
        .isEqualTo(Map.of("tenantId", ACME, "connectionId", "lab"));
    assertThat(json(sent.get(1).payload()))
        .isEqualTo(
            Map.of(
                "tenantId",
                ACME,
                "connectionId",
                "lab",
                "from",
                from.toString(),
                "to",
                to.toString()));

    RecordedInvocations.clear();
    ApiClient.Response future =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/usage/sample",
            Map.of(
                "from",
                Instant.now().plus(Duration.ofHours(2)).toString(),
                "to",
                Instant.now().plus(Duration.ofHours(3)).toString()));
    assertThat(future.status()).isEqualTo(400);
    assertThat(future.fields()).contains("from");
    ApiClient.Response half =
        api.call(
            ACME, "POST", "/api/connections/lab/usage/sample", Map.of("from", from.toString()));
    assertThat(half.status()).isEqualTo(400);
    assertThat(api.call(OTHER, "POST", "/api/connections/lab/usage/sample", null).status())
        .isEqualTo(404);
    assertThat(api.call(ACME, "POST", "/api/connections/gone/usage/sample", null).status())
        .isEqualTo(404);
    assertThat(RecordedInvocations.sent()).isEmpty();
  }

  @Test
  @Order(12)
  void sampleNowWhileASampleOfTheConnectionRunsAnswers409WithItsEndAndHandsNothing() {
    RecordedInvocations.clear();
    UsageSampleLeases leases =
        new UsageSampleLeases(aws.clients().dynamoDb(), aws.tableName(), Clock.systemUTC());
    // The usage function is sampling lab (the schedule, or an earlier click).
    try (UsageSampleLeases.Lease running =
        (UsageSampleLeases.Lease)
            leases.acquire(new ConnectionRef(ACME, "lab"), Duration.ofMinutes(5))) {
      ApiClient.Response busy = api.call(ACME, "POST", "/api/connections/lab/usage/sample", null);

      assertThat(busy.status()).isEqualTo(409);
      assertThat(busy.json().path("detail").asString())
          .contains("usage sample of this connection is running", "ends by");
      assertThat(RecordedInvocations.sent()).isEmpty();
    }

    assertThat(api.call(ACME, "POST", "/api/connections/lab/usage/sample", null).status())
        .isEqualTo(202);
    assertThat(RecordedInvocations.sent()).hasSize(1);
    RecordedInvocations.clear();
  }

  // ---- deployments ----

  private Map<String, Object> vmInputs() {
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("node", "pve1");
    inputs.put("vmid", 130);
    inputs.put("name", "app-01");
    inputs.put("template", 9000);
    inputs.put("user", "deploy");
    inputs.put("sshKeys", List.of(KEY));
    inputs.put("ipConfig", List.of("ip=10.20.0.30/24,gw=10.20.0.1"));
    return inputs;
  }

  private DynamoDbDeploymentRunStore runs() {
    return new DynamoDbDeploymentRunStore(
        aws.clients().dynamoDb(), aws.tableName(), Duration.ofDays(1), Clock.systemUTC());
  }

  private DeploymentRun run(String id, Operation op, RunStatus status, Map<String, Object> raw) {
    var inventory =
        new CmdbInventory(
                new DynamoDbCiRepository(
                    aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults()),
                r -> true)
            .inventory(lab);
    Map<String, Object> inputs =
        ProgramCatalog.standard().find("vm").orElseThrow().plan(raw, inventory).inputs();
    return new DeploymentRun(
        id,
        lab,
        "vm",
        StackNames.stack(lab),
        op,
        status,
        Instant.now(),
        status == RunStatus.RUNNING ? null : Instant.now(),
        inputs,
        StackNames.inputsHash(inputs),
        List.of(),
        Map.of("create", 1),
        List.of(),
        Map.of());
  }

  @Test
  @Order(20)
  void programsAreListedWithTheirPrivileges() {
    JsonNode items = get(ACME, "/api/programs", Map.of()).json().path("items");
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path("name").asString()));
    assertThat(names).containsExactly("vm", "container", "pool", "security-group", "sdn-vnet");
    assertThat(items.get(0).path("permissions").toString()).contains("VM.Clone", "/vms");

    // Each program's inputs, in the program's order, as the deployment form shows them.
    JsonNode vm = items.get(0).path("inputs");
    List<String> vmInputs = new ArrayList<>();
    List<String> vmRequired = new ArrayList<>();
    vm.forEach(
        i -> {
          vmInputs.add(i.path("name").asString());
          if (i.path("required").asBoolean()) {
            vmRequired.add(i.path("name").asString());
          }
        });
    assertThat(vmRequired)
        .containsExactly("node", "vmid", "name", "template", "user", "sshKeys", "ipConfig");
    assertThat(vmInputs).startsWith(vmRequired.toArray(String[]::new)).contains("memoryMiB");
    JsonNode vmid = vm.get(1);
    assertThat(vmid.path("name").asString()).isEqualTo("vmid");
    assertThat(vmid.path("type").asString()).isEqualTo("integer");
    assertThat(vmid.path("description").asString()).contains("100 to 999999999");
    JsonNode memory = vm.get(vmInputs.indexOf("memoryMiB"));
    assertThat(memory.path("required").asBoolean()).isFalse();
    assertThat(memory.path("description").asString()).contains("default 2048");
    JsonNode rules = items.get(3).path("inputs").get(1);
    assertThat(rules.path("name").asString()).isEqualTo("rules");
    assertThat(rules.path("type").asString()).isEqualTo("objects");
    items.forEach(
        i ->
            assertThat(i.path("inputs").size())
                .as(i.path("name").asString())
                .isGreaterThanOrEqualTo(2));
  }

  @Test
  @Order(21)
  void badInputsAreFieldErrorsBeforeAnythingIsHandedToTheRunner() {
    Map<String, Object> inputs = vmInputs();
    inputs.put("vmid", 50); // below Proxmox's 100
    inputs.put("node", "pve9");
    inputs.put("template", 101); // web-01: not a template
    inputs.put("ipConfig", List.of("ip=10.20.0.30"));
    ApiClient.Response r =
        api.call(
            ACME, "POST", "/api/connections/lab/deployments/vm/preview", Map.of("inputs", inputs));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.fields())
        .contains("inputs.vmid", "inputs.node", "inputs.template")
        .anyMatch(f -> f.startsWith("inputs.ipConfig"));

    assertThat(
            api.call(ACME, "POST", "/api/connections/lab/deployments/nope/preview", Map.of())
                .status())
        .isEqualTo(404);
    assertThat(
            api.call(
                    ACME,
                    "POST",
                    "/api/connections/lab/deployments/vm/preview",
                    Map.of("inputs", "vmid=130"))
                .fields())
        .containsExactly("inputs");
    assertThat(
            api.call(
                    OTHER,
                    "POST",
                    "/api/connections/lab/deployments/vm/preview",
                    Map.of("inputs", vmInputs()))
                .status())
        .isEqualTo(404);
    assertThat(RecordedInvocations.sent()).isEmpty();
  }

  @Test
  @Order(22)
  void aPreviewIsHandedToTheRunnerAndAnUpNeedsItsSucceededPreviewWithTheSameInputs() {
    ApiClient.Response preview =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/preview",
            Map.of("inputs", vmInputs()));
    assertThat(preview.status()).isEqualTo(202);
    assertThat(preview.json().path("stack").asString()).isEqualTo("acme.lab");
    List<RecordedInvocations.Invocation> sent = RecordedInvocations.sent();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).functionName()).isEqualTo(WizardEnvironment.RUNNER_FUNCTION);
    assertThat(sent.get(0).invocationType()).isEqualTo("Event");
    Map<String, Object> payload = json(sent.get(0).payload());
    assertThat(payload)
        .containsEntry("operation", "preview")
        .containsEntry("tenantId", ACME)
        .containsEntry("connectionId", "lab")
        .containsEntry("program", "vm");
    assertThat(payload.get("inputs").toString()).contains("app-01");

    RecordedInvocations.clear();
    ApiClient.Response unapproved =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/up",
            Map.of("inputs", vmInputs(), "approvedPreviewRunId", "20261130T070000123Z-1a2b3c4d"));
    assertThat(unapproved.status()).isEqualTo(409);
    assertThat(unapproved.fields()).containsExactly("approvedPreviewRunId");

    // The runner recorded the preview as succeeded (written here as the runner writes it).
    String previewId = "20261130T070000123Z-0a0b0c0d";
    runs().save(run(previewId, Operation.PREVIEW, RunStatus.SUCCEEDED, vmInputs()));
    Map<String, Object> changed = vmInputs();
    changed.put("memoryMiB", 4096);
    ApiClient.Response different =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/up",
            Map.of("inputs", changed, "approvedPreviewRunId", previewId));
    assertThat(different.status()).isEqualTo(409);
    assertThat(different.fields()).containsExactly("inputs");
    assertThat(RecordedInvocations.sent()).isEmpty();

    ApiClient.Response up =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/up",
            Map.of("inputs", vmInputs(), "approvedPreviewRunId", previewId));
    assertThat(up.status()).isEqualTo(202);
    assertThat(up.json().path("after").asString()).isEqualTo(previewId);
    assertThat(json(RecordedInvocations.sent().get(0).payload()))
        .containsEntry("operation", "up")
        .containsEntry("approvedPreviewRunId", previewId);
  }

  @Test
  @Order(23)
  void aSecondUpdateOfARunningStackIsA409AndRunsAreReadFromTheTable() {
    String runningId = "20261130T070500123Z-0e0e0e0e";
    runs().save(run(runningId, Operation.UP, RunStatus.RUNNING, vmInputs()));

    ApiClient.Response busy =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/preview",
            Map.of("inputs", vmInputs()));
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.fields()).containsExactly("program");
    assertThat(busy.json().path("errors").get(0).path("message").asString())
        .contains("another update of stack acme.lab", runningId);
    assertThat(RecordedInvocations.sent()).isEmpty();

    JsonNode list = get(ACME, "/api/connections/lab/deployments", Map.of("program", "vm")).json();
    assertThat(list.path("items").get(0).path("runId").asString()).isEqualTo(runningId);
    assertThat(list.path("items").get(0).path("status").asString()).isEqualTo("RUNNING");
    JsonNode one = get(ACME, "/api/connections/lab/deployments/runs/" + runningId, Map.of()).json();
    assertThat(one.path("operation").asString()).isEqualTo("UP");
    assertThat(one.path("summary").path("create").asInt()).isEqualTo(1);

    assertThat(
            get(
                    ACME,
                    "/api/connections/lab/deployments/runs/20261130T070500123Z-ffffffff",
                    Map.of())
                .status())
        .isEqualTo(404);
    assertThat(get(ACME, "/api/connections/lab/deployments/runs/nonsense", Map.of()).status())
        .isEqualTo(404);
    assertThat(get(OTHER, "/api/connections/lab/deployments", Map.of()).status()).isEqualTo(404);
    assertThat(get(OTHER, "/api/connections/lab/deployments/runs/" + runningId, Map.of()).status())
        .isEqualTo(404);
    assertThat(get(ACME, "/api/connections/lab/deployments", Map.of("program", "x")).status())
        .isEqualTo(404);

    runs().save(run(runningId, Operation.UP, RunStatus.SUCCEEDED, vmInputs()));
  }

  @Test
  @Order(24)
  void destroyNeedsTheTypedStackName() {
    ApiClient.Response wrong =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/destroy",
            Map.of("confirmStack", "acme.lib"));
    assertThat(wrong.status()).isEqualTo(409);
    assertThat(wrong.fields()).containsExactly("confirmStack");
    assertThat(
            api.call(ACME, "POST", "/api/connections/lab/deployments/vm/destroy", Map.of())
                .fields())
        .containsExactly("confirmStack");
    ApiClient.Response none =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/pool/destroy",
            Map.of("confirmStack", "acme.lab"));
    assertThat(none.status()).isEqualTo(404);
    assertThat(RecordedInvocations.sent()).isEmpty();

    ApiClient.Response ok =
        api.call(
            ACME,
            "POST",
            "/api/connections/lab/deployments/vm/destroy",
            Map.of("confirmStack", "acme.lab"));
    assertThat(ok.status()).isEqualTo(202);
    assertThat(json(RecordedInvocations.sent().get(0).payload()))
        .containsEntry("operation", "destroy")
        .containsEntry("confirmStack", "acme.lab")
        .doesNotContainKey("inputs");
  }

  // ---- drift ----

  @Test
  @Order(30)
  void driftIsListedByConnectionAndStackAndACheckIsHandedToTheRunner() {
    var store =
        new DynamoDbDriftStore(aws.clients().dynamoDb(), aws.tableName(), Duration.ofDays(1));
    store.put(
        new Drift(
            lab,
            StackNames.qualified("vm", lab),
            "qemu/130",
            "urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::app-01",
            "proxmoxve:index/vmLegacy:VmLegacy",
            "COMPUTE",
            DriftClass.MANAGED_FIELD_CHANGE,
            List.of(new DriftProperty("memory.dedicated", 2048, 4096, true, DriftProperty.ENGINE)),
            "alice@pve",
            null,
            "run up to put it back, or change the program's input",
            null,
            DriftStatus.OPEN,
            Instant.now(),
            null));

    JsonNode all = get(ACME, "/api/connections/lab/drift", Map.of()).json();
    assertThat(all.path("items")).hasSize(1);
    JsonNode d = all.path("items").get(0);
    assertThat(d.path("driftClass").asString()).isEqualTo("MANAGED_FIELD_CHANGE");
    assertThat(d.path("author").asString()).isEqualTo("alice@pve");
    assertThat(d.path("properties").get(0).path("current").asInt()).isEqualTo(4096);
    assertThat(
            get(ACME, "/api/connections/lab/drift", Map.of("program", "vm")).json().path("items"))
        .hasSize(1);
    assertThat(
            get(ACME, "/api/connections/lab/drift", Map.of("program", "pool")).json().path("items"))
        .isEmpty();
    assertThat(get(ACME, "/api/connections/lab/drift", Map.of("program", "x")).status())
        .isEqualTo(404);
    assertThat(get(OTHER, "/api/connections/lab/drift", Map.of()).status()).isEqualTo(404);

    ApiClient.Response check = api.call(ACME, "POST", "/api/connections/lab/drift/check", null);
    assertThat(check.status()).isEqualTo(202);
    assertThat(api.call(OTHER, "POST", "/api/connections/lab/drift/check", null).status())
        .isEqualTo(404);
    assertThat(
            api.call(ACME, "POST", "/api/connections/lab/drift/check", Map.of("program", 7))
                .status())
        .isEqualTo(400);
    List<RecordedInvocations.Invocation> sent = RecordedInvocations.sent();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).functionName()).isEqualTo(WizardEnvironment.RUNNER_FUNCTION);
    assertThat(json(sent.get(0).payload()))
        .isEqualTo(Map.of("operation", "drift", "tenantId", ACME, "connectionId", "lab"));
  }
}
