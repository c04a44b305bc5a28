package dev.nimbus.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Secret;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every operation and failure on connections with known secrets, then searches everything a
 * secret could leak into: captured log output (System.Logger goes to java.util.logging here),
 * exception messages and stack traces, {@code toString}s, the JSON form of the records, and every
 * attribute of every raw item in the table.
 */
@ExtendWith(AwsEmulatorExtension.class)
class SecretLeakIT {
  private static final String NEW_TOKEN_SECRET = "9e1d4c2b-7a3f-4e58-b6d0-c1f2a3b4d5e6";
  private static final String NEW_HEADER_SECRET = "replaced-header-value-7c4e2a";
  private static final String MISTYPED_SECRET = "hunter2-typed-into-the-token-field";
  private static final List<String> SECRETS =
      List.of(
          TestData.TOKEN_SECRET,
          TestData.HEADER_SECRET,
          NEW_TOKEN_SECRET,
          NEW_HEADER_SECRET,
          MISTYPED_SECRET);

  private final AwsTestEnvironment aws;
  private final DynamoDbClient dynamo;
  private final ConnectionService service;
  private final List<String> logLines = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          logLines.add(formatter.format(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level rootLevel;

  SecretLeakIT(AwsTestEnvironment aws) {
    this.aws = aws;
    this.dynamo = aws.clients().dynamoDb();
    this.service =
        ConnectionService.create(
            aws.clients(),
            new ConnectionsConfig(aws.tableName(), aws.keyAlias()),
            new MutableClock(Instant.parse("2026-03-04T10:00:00Z")));
  }

  @BeforeEach
  void captureAllLogs() {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(rootLevel);
  }

  @Test
  void noSecretAppearsInLogsExceptionsToStringsJsonOrStoredItems() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    List<Object> shown = new ArrayList<>();

    Connection lab = service.create("acme", TestData.draft("lab"), "alice@acme");
    Connection edge = service.create("globex", TestData.draft("edge"), "bob@globex");
    shown.add(lab);
    try (ResolvedConnection r = service.resolve(lab.ref())) {
      shown.add(r);
      shown.add(r.toString());
      assertThat(r.tokenSecret().reveal()).isEqualTo(TestData.TOKEN_SECRET);
    }
    Connection v2 =
        service.replaceTokenSecret(
            lab.ref(), 1, lab.tokenId(), Secret.of(NEW_TOKEN_SECRET), "alice@acme");
    Connection v3 =
        service.replaceSecretHeaders(
            lab.ref(),
            v2.version(),
            Map.of("CF-Access-Client-Secret", Secret.of(NEW_HEADER_SECRET)),
            "alice@acme");
    shown.add(v3);
    String newKey =
        aws.clients().kms().createKey(b -> b.description("leak test")).keyMetadata().keyId();
    shown.add(service.rotateAll(newKey, "ops@nimbus"));

    // Failures of every kind, with secrets in the input.
    failures.add(
        caught(
            () ->
                service.create(
                    "acme",
                    new ConnectionDraft(
                        "bad",
                        TestData.settings(),
                        Secret.of(MISTYPED_SECRET),
                        Map.of("Bad Header", Secret.of(TestData.HEADER_SECRET))),
                    "alice@acme")));
    failures.add(caught(() -> service.create("acme", TestData.draft("lab"), "alice@acme")));
    failures.add(
        caught(
            () ->
                service.replaceTokenSecret(
                    lab.ref(), 1, lab.tokenId(), Secret.of(NEW_TOKEN_SECRET), "mallory")));
    failures.add(
        caught(
            () ->
                service.replaceTokenSecret(
                    lab.ref(), v3.version(), "not a token id", Secret.of(MISTYPED_SECRET), "x")));
    failures.add(caught(() -> service.resolve(new ConnectionRef("globex", "lab"))));
    var repository = new ConnectionRepository(dynamo, aws.tableName());
    Connection stolen = service.find(lab.ref()).orElseThrow();
    Connection edgeNow = service.find(edge.ref()).orElseThrow();
    repository.update(
        edgeNow
            .withSecrets(edgeNow.tokenId(), stolen.tokenSecret(), edgeNow.secretHeaders())
            .nextVersion(Instant.now(), "mallory"),
        edgeNow.version(),
        Optional.empty());
    failures.add(caught(() -> service.resolve(edge.ref())));
    shown.addAll(service.auditTrail(lab.ref()));
    shown.addAll(service.list("acme"));

    assertThat(failures).doesNotContainNull().hasSize(6);
    assertThat(logLines).as("the operations above log").isNotEmpty();
    for (String line : logLines) {
      assertNoSecret("log line", line);
    }
    for (Throwable t : failures) {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      assertNoSecret("exception " + t.getClass().getSimpleName(), trace.toString());
    }
    JsonMapper json = JsonMapper.builder().build();
    for (Object o : shown) {
      assertNoSecret("toString of " + o.getClass().getSimpleName(), o.toString());
      assertNoSecret("JSON of " + o.getClass().getSimpleName(), json.writeValueAsString(o));
    }
    assertNoSecret("JSON of a draft", json.writeValueAsString(TestData.draft("json")));
    assertStoredItemsHoldNoSecret();
  }

  private void assertStoredItemsHoldNoSecret() {
    List<Map<String, AttributeValue>> items =
        dynamo.scanPaginator(b -> b.tableName(aws.tableName())).items().stream().toList();
    assertThat(items)
        .extracting(i -> i.get("itemType").s())
        .contains("CONNECTION", "CONNECTION_AUDIT");
    for (Map<String, AttributeValue> item : items) {
      item.forEach((name, value) -> walk(item.get("SK").s() + " " + name, name, value));
    }
  }

  /** Strings must be free of secrets; binary (ciphertext) is allowed only inside secret fields. */
  private void walk(String path, String topAttribute, AttributeValue v) {
    if (v.s() != null) {
      assertNoSecret(path, v.s());
    } else if (v.b() != null) {
      assertThat(topAttribute).as(path + " is binary").isIn("tokenSecret", "secretHeaders");
      String bytes = new String(v.b().asByteArray(), StandardCharsets.ISO_8859_1);
      assertNoSecret(path, bytes);
    } else if (v.hasM()) {
      v.m().forEach((k, inner) -> walk(path + "." + k, topAttribute, inner));
    } else if (v.hasL()) {
      v.l().forEach(inner -> walk(path + "[]", topAttribute, inner));
    } else if (v.hasSs()) {
      v.ss().forEach(s -> assertNoSecret(path, s));
    }
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      if (text.contains(secret)) {
        fail(where + " contains a secret (" + secret.length() + " characters)");
      }
    }
  }

  private static Throwable caught(Runnable action) {
    try {
      action.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
