package dev.nimbus.aws;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Priming for Lambda SnapStart: a CRaC {@link Resource}, registered when the function's context
 * starts, that runs before the snapshot is taken, so the classes and code paths of the first real
 * event are loaded and initialised in the snapshot rather than on the first request after restore.
 *
 * <p>It has no side effects. The SDK is exercised through clients of the same configuration
 * (region, endpoint rules, protocols, signing) whose HTTP client is {@link OfflineHttpClient}:
 * nothing is sent, nothing written, and dummy credentials are used so that no credential source is
 * asked. TLS is warmed by producing a ClientHello with the JVM's default context, without a
 * connection. Function-specific warmers (Jackson over the function's own event type, say) are
 * passed in.
 */
public final class SnapStartPriming implements Resource {
  private static final System.Logger LOG = System.getLogger(SnapStartPriming.class.getName());

  /**
   * Every registered priming of this JVM. Held strongly here because a CRaC context may hold its
   * resources weakly, and listed so that a JVM without CRaC (the cold-start benchmark) can run the
   * same hooks that SnapStart would.
   */
  private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

  private final AwsClients clients;
  private final List<Runnable> warmers;
  private volatile List<SdkHttpRequest> primedRequests = List.of();

  private SnapStartPriming(AwsClients clients, List<Runnable> warmers) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.warmers = List.copyOf(warmers);
  }

  /**
   * Creates the priming for {@code clients} and registers it with the global CRaC context (on a JVM
   * without CRaC that registration does nothing; {@link #registered()} still lists it).
   *
   * @param warmers extra steps of the function, run after the SDK and TLS priming
   */
  public static SnapStartPriming register(AwsClients clients, Runnable... warmers) {
    SnapStartPriming priming = new SnapStartPriming(clients, List.of(warmers));
    Core.getGlobalContext().register(priming);
    REGISTERED.add(priming);
    return priming;
  }

  /** The primings registered in this JVM, in order. */
  public static List<SnapStartPriming> registered() {
    return List.copyOf(REGISTERED);
  }

  /** Not registered: for tests and for callers that drive priming themselves. */
  static SnapStartPriming unregistered(AwsClients clients, Runnable... warmers) {
    return new SnapStartPriming(clients, List.of(warmers));
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to redo: the SDK clients of the function resolve credentials and open connections
    // lazily, so they pick up the restored environment by themselves.
  }

  /** Runs every priming step; a failing step is logged and skipped, never fatal to the snapshot. */
  public void prime() {
    List<Runnable> steps = new ArrayList<>();
    steps.add(this::primeSdk);
    steps.add(SnapStartPriming::primeTls);
    steps.addAll(warmers);
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "priming step failed, skipped: {0}", e.toString());
      }
    }
  }

  /** How many SDK requests the last priming marshalled and signed (none was sent). */
  public int primedRequests() {
    return primedRequests.size();
  }

  /** The requests of the last priming as they would have gone out (signed), for tests. */
  List<SdkHttpRequest> lastRequests() {
    return primedRequests;
  }

  private void primeSdk() {
    OfflineHttpClient offline = new OfflineHttpClient();
    AwsClients priming =
        AwsClients.create(
            clients.region(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")),
            clients.endpointOverride().orElse(null),
            offline);
    Map<String, AttributeValue> key =
        Map.of("PK", AttributeValue.fromS("TENANT#priming"), "SK", AttributeValue.fromS("X"));
    try (DynamoDbClient dynamo = priming.dynamoDb();
        KmsClient kms = priming.kms();
        SqsClient sqs = priming.sqs();
        EventBridgeClient events = priming.eventBridge()) {
      offlineCall(() -> dynamo.getItem(b -> b.tableName("priming").key(key)));
      offlineCall(
          () ->
              dynamo.query(
                  b ->
                      b.tableName("priming")
                          .keyConditionExpression("PK = :pk")
                          .expressionAttributeValues(
                              Map.of(":pk", AttributeValue.fromS("TENANT#x")))));
      offlineCall(() -> dynamo.batchWriteItem(b -> b.requestItems(Map.of())));
      offlineCall(
          () ->
              kms.decrypt(
                  b ->
                      b.ciphertextBlob(SdkBytes.fromByteArray(new byte[] {1}))
                          .encryptionContext(Map.of("purpose", "priming"))));
      // The SDK checks the MD5 of the body that SQS echoes; the offline answer has none, so this
      // one ends in a client-side validation error after the whole round trip has run.
      offlineCall(
          () ->
              sqs.sendMessage(b -> b.queueUrl("https://sqs.invalid/0/priming").messageBody("{}")));
      offlineCall(
          () -> events.putEvents(b -> b.entries(e -> e.source("nimbus.priming").detail("{}"))));
    }
    primedRequests = offline.requests();
  }

  /** One offline call; an SDK error about the canned answer still leaves its path primed. */
  private static void offlineCall(Runnable call) {
    try {
      call.run();
    } catch (SdkException e) {
      LOG.log(System.Logger.Level.DEBUG, "priming call ended with {0}", e.toString());
    }
  }

  private static void primeTls() {
    try {
      SSLEngine engine = SSLContext.getDefault().createSSLEngine("priming.invalid", 443);
      engine.setUseClientMode(true);
      engine.beginHandshake();
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      // Produces the ClientHello (key shares, cipher suites, extensions) into a buffer only.
      engine.wrap(ByteBuffer.allocate(0), out);
      engine.closeOutbound();
    } catch (GeneralSecurityException | SSLException e) {
      throw new IllegalStateException("TLS priming failed", e);
    }
  }
}
