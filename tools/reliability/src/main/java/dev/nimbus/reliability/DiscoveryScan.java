package dev.nimbus.reliability;

import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.connections.ConnectionDraft;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionSettings;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.Endpoint;
import dev.nimbus.connections.TlsTrust;
import dev.nimbus.discovery.DiscoveryApplication;
import dev.nimbus.discovery.DiscoveryRequest;
import dev.nimbus.events.CiChangeEvent;
import dev.nimbus.events.CiEventsLocal;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.Secret;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.testing.badinput.SecretLedger;
import dev.nimbus.testing.lambda.LambdaHarness;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A discovery run through the real function ({@code runDiscovery}, an SQS event as the queue
 * delivers it) of a connection whose token secret and secret header are registered, then a scan of
 * everything the run put out: its log lines, its metric (EMF) line, the CIs it stored, and every
 * request sent to AWS meanwhile (the table writes, and the run's change events as they are
 * published to the bus).
 */
final class DiscoveryScan {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConnectionRef REF = new ConnectionRef("acme", "scanned");

  private DiscoveryScan() {}

  /** Runs discovery once and scans its outputs into {@code scan}; returns the CIs found. */
  static int run(Emulated aws, PveSimulator sim, SecretLedger secrets, SecretScan scan) {
    ApiToken token = sim.createToken("scan@pve", "nimbus", Roles.PVE_AUDITOR, true);
    secrets.add(token.secret());
    String header = secrets.fresh("cf-");
    ConnectionService connections =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            Clock.systemUTC());
    connections.create(
        REF.tenantId(),
        new ConnectionDraft(
            REF.connectionId(),
            new ConnectionSettings(
                "Scanned cluster",
                new Endpoint("127.0.0.1", sim.port(), Optional.empty()),
                Optional.empty(),
                TlsTrust.pinned(Map.of(sim.entryNode(), sim.fingerprint(sim.entryNode()))),
                token.fullId(),
                new DiscoveryScope.Everything(),
                "rate(15 minutes)"),
            Secret.of(token.secret()),
            Map.of("CF-Access-Client-Secret", Secret.of(header))),
        "bin/reliability");

    CiEventsLocal events = CiEventsLocal.open(aws.clients(), aws.tableName(), aws.eventBus());
    String log;
    List<AwsRequestLog.Sent> sent;
    List<CiChangeEvent> changes;
    JsonNode answer;
    AwsRequestLog.start();
    try (LogCapture capture = new LogCapture(true);
        LambdaHarness runner = harness(aws)) {
      answer = JSON.readTree(runner.invoke(JSON.writeValueAsBytes(sqsEvent())));
      // The stream's records become events here as the ci-events function makes them, and are
      // published to the bus (the PutEvents requests are among the requests scanned below).
      changes = events.drain();
      log = capture.text();
    } finally {
      sent = AwsRequestLog.stop();
    }
    if (!answer.path("batchItemFailures").isEmpty()) {
      throw new IllegalStateException("the discovery run failed: " + answer);
    }
    List<StoredCi> cis =
        new DynamoDbCiRepository(aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults())
            .allOfConnection(REF);
    if (cis.isEmpty()) {
      throw new IllegalStateException("the discovery run stored no CI: nothing to scan");
    }
    int line = 0;
    for (String l : log.split("\n")) {
      line++;
      if (l.isBlank()) {
        continue;
      }
      scan.scan(
          l.contains("\"_aws\"") ? "Discovery run: EMF metric line" : "Discovery run: log lines",
          "log line " + line,
          l);
    }
    for (StoredCi ci : cis) {
      scan.scan("Discovery run: CIs stored", ci.item().nativeKey(), String.valueOf(ci));
    }
    if (changes.isEmpty()) {
      throw new IllegalStateException(
          "the discovery run published no change event: nothing to scan");
    }
    // The events are scanned as published: the PutEvents requests among those sent to AWS.
    scanSent(scan, "Discovery run", sent);
    return cis.size();
  }

  /** Requests sent to AWS, by service; KMS is left out (see below). */
  static void scanSent(SecretScan scan, String prefix, List<AwsRequestLog.Sent> sent) {
    for (AwsRequestLog.Sent s : sent) {
      // KMS Encrypt is where a secret must go (as a Base64 blob, to be encrypted): not an output.
      if ("Kms".equalsIgnoreCase(s.service())) {
        continue;
      }
      scan.scan(prefix + ": " + what(s.service()), s.operation(), s.body());
    }
  }

  private static String what(String service) {
    return switch (service) {
      case "DynamoDb" -> "table requests (DynamoDB: items written, keys read)";
      case "DynamoDbStreams" -> "stream reads (DynamoDB Streams)";
      case "EventBridge" -> "change events published (EventBridge)";
      case "Sqs" -> "messages queued (SQS)";
      case "Lambda" -> "functions invoked (Lambda)";
      default -> "requests to " + service;
    };
  }

  private static ObjectNode sqsEvent() {
    ObjectNode event = JSON.createObjectNode();
    ObjectNode r = event.putArray("Records").addObject();
    r.put("messageId", "reliability-scan");
    r.put("receiptHandle", "reliability-scan");
    r.put("body", JSON.writeValueAsString(DiscoveryRequest.of(REF)));
    ObjectNode attributes = r.putObject("attributes");
    attributes.put("ApproximateReceiveCount", "1");
    attributes.put("SentTimestamp", String.valueOf(System.currentTimeMillis()));
    r.putObject("messageAttributes");
    r.put("eventSource", "aws:sqs");
    r.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:nimbus-discovery");
    r.put("awsRegion", "us-east-1");
    return event;
  }

  /**
   * The discovery function as Lambda runs it. The wizard's application.properties comes first on
   * this tool's class path, so the discovery function's own keys are given here directly.
   */
  private static LambdaHarness harness(Emulated aws) {
    return LambdaHarness.forApplication(DiscoveryApplication.class)
        .function("runDiscovery")
        .property("nimbus.discovery.table-name", aws.tableName())
        .property("nimbus.discovery.token-key-id", aws.keyAlias())
        .property("nimbus.discovery.queue-url", aws.queueUrl())
        .property("spring.application.name", "nimbus-discovery")
        .awsEmulator(aws.backend().endpoint(), aws.backend().region())
        .start();
  }
}
