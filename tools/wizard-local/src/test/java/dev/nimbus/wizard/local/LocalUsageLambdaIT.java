package dev.nimbus.wizard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.local.EnvironmentInfo;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.usage.HourlyUsage;
import dev.nimbus.usage.dynamodb.DynamoDbUsageRepository;
import dev.nimbus.wizard.FunctionHandoff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * "Sample now" in bin/wizard: the wizard's FunctionHandoff, on a real Lambda client, reaches {@link
 * LocalLambda}, which runs the usage function's own runner against a simulated PVE 8.4 cluster and
 * the AWS emulator; any other function is not found, as Lambda says it; a payload the function
 * would refuse is answered 400 field by field; and {@link WizardLocal#configure} moves only the
 * wizard's Lambda client there.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalUsageLambdaIT {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  /** Bounded wait for the asynchronous sample; the test fails, not hangs, past it. */
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private PveSimulator sim;
  private String tokenSecret;
  private DynamoDbUsageRepository usage;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private LocalLambda lambda;
  private AwsClients caller;

  @BeforeAll
  void start(AwsTestEnvironment aws) throws IOException {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V8_4)
                .withAuthFailureDelay(Duration.ZERO));
    ApiToken token = sim.createToken("usage@pve", "nimbus", Roles.PVE_AUDITOR, true);
    tokenSecret = token.secret();
    ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC())
        .create(
            LAB.tenantId(),
            new ConnectionDraft(
                LAB.connectionId(),
                new ConnectionSettings(
                    "Lab cluster",
                    new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                    Optional.empty(),
                    TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                    token.fullId(),
                    new DiscoveryScope.Everything(),
                    "rate(15 minutes)"),
                Secret.of(token.secret()),
                Map.of()),
            "test@acme");
    usage = new DynamoDbUsageRepository(aws.clients().dynamoDb(), aws.tableName());
    Map<String, String> values =
        Map.of(
            "aws.region", aws.region(),
            "nimbus.usage.table-name", aws.tableName(),
            "nimbus.usage.token-key-id", aws.keyAlias());
    lambda =
        LocalLambda.start(
            WizardLocal.USAGE,
            LocalLambda.usageRunner(aws.clients(), values::get, Clock.systemUTC()),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    // The wizard's side: a Lambda client from the project's client factory, on the endpoint.
    caller =
        AwsClients.create(
            Region.of(aws.region()),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
            lambda.endpoint());
  }

  @AfterAll
  void stop() {
    if (caller != null) {
      caller.close();
    }
    if (lambda != null) {
      lambda.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Instant until = Instant.now().plus(PATIENCE);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
      Thread.sleep(100);
    }
  }

  private static Map<String, Object> backfill(Instant hour) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenantId", LAB.tenantId());
    payload.put("connectionId", LAB.connectionId());
    payload.put("from", hour.toString());
    payload.put("to", hour.plus(Duration.ofHours(1)).toString());
    return payload;
  }

  @Test
  void aBackfillHandedByTheWizardIsSampledByTheUsageFunctionAndItsHoursAreStored()
      throws InterruptedException {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    assertThat(usage.hoursOf(LAB, "qemu/101", hour, hour.plusSeconds(3600))).isEmpty();

    // Throws unless the endpoint answered 202, as Lambda answers an Event invocation.
    new FunctionHandoff(caller.lambda(), WizardLocal.USAGE).hand(backfill(hour));

    await(
        "the sample's summary line",
        () -> printed().contains("usage sample of acme/lab: succeeded"));
    List<HourlyUsage> hours = usage.hoursOf(LAB, "qemu/101", hour, hour.plusSeconds(3600));
    assertThat(hours).hasSize(1);
    assertThat(hours.getFirst().hour()).isEqualTo(hour);
    assertThat(printed())
        .contains("usage sample of acme/lab: succeeded, rrddata")
        .containsPattern("[1-9][0-9]* hours and")
        .doesNotContain(tokenSecret);
  }

  @Test
  void anyOtherFunctionIsNotFoundAsLambdaSaysIt() {
    assertThatThrownBy(
            () ->
                new FunctionHandoff(caller.lambda(), "nimbus-pulumi-runner")
                    .hand(Map.of("runId", "r1")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404))
        .hasMessageContaining("Function not found: nimbus-pulumi-runner");
  }

  @Test
  void aPayloadTheFunctionWouldRefuseIsAnswered400FieldByField() {
    FunctionHandoff handoff = new FunctionHandoff(caller.lambda(), WizardLocal.USAGE);
    assertThatThrownBy(() -> handoff.hand(Map.of("tenantId", "acme", "connectionId", "nope")))
        .isInstanceOfSatisfying(
            InvalidRequestContentException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .hasMessageContaining("connectionId: no such connection: nope");
    Map<String, Object> future = backfill(Instant.parse("2999-01-01T00:00:00Z"));
    assertThatThrownBy(() -> handoff.hand(future))
        .isInstanceOf(InvalidRequestContentException.class)
        .hasMessageContaining("from: ");
    assertThatThrownBy(
            () ->
                caller
                    .lambda()
                    .invoke(
                        b ->
                            b.functionName(WizardLocal.USAGE)
                                .invocationType(InvocationType.EVENT)
                                .payload(SdkBytes.fromUtf8String("tenantId=acme"))))
        .isInstanceOf(InvalidRequestContentException.class)
        .hasMessageContaining("payload: not a usage invocation");
    // A synchronous invocation would hold the wizard's request for the whole sample.
    assertThatThrownBy(
            () ->
                caller
                    .lambda()
                    .invoke(
                        b ->
                            b.functionName(WizardLocal.USAGE)
                                .invocationType(InvocationType.REQUEST_RESPONSE)
                                .payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("InvocationType: only Event");
  }

  @Test
  void configureMovesOnlyTheWizardsLambdaClientToTheEndpoint(AwsTestEnvironment aws) {
    Properties before = (Properties) System.getProperties().clone();
    try {
      WizardLocal.configure(
          new EnvironmentInfo(
              ProcessHandle.current().pid(),
              Instant.now().toString(),
              aws.backend().kind().name(),
              aws.endpoint().toString(),
              aws.region(),
              aws.tableName(),
              aws.keyAlias(),
              "http://127.0.0.1:1/unused-queue",
              "unused-bus",
              "local",
              null),
          lambda.endpoint());
      // Built as the wizard function builds its clients: no override, the SDK resolves endpoints.
      try (AwsClients wizard =
          AwsClients.create(
              Region.of(aws.region()), DefaultCredentialsProvider.builder().build(), null)) {
        assertThat(
                wizard
                    .dynamoDb()
                    .describeTable(b -> b.tableName(aws.tableName()))
                    .table()
                    .tableName())
            .as("DynamoDB stays on the emulator")
            .isEqualTo(aws.tableName());
        // The emulator's Lambda has no runner either; only the local endpoint says this.
        assertThatThrownBy(
                () -> new FunctionHandoff(wizard.lambda(), "nimbus-pulumi-runner").hand(Map.of()))
            .isInstanceOf(ResourceNotFoundException.class)
            .hasMessageContaining("locally only the usage function " + WizardLocal.USAGE + " runs");
      }
    } finally {
      System.setProperties(before);
    }
  }
}
