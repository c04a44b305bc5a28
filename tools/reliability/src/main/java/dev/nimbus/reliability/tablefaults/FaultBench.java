package dev.nimbus.reliability.tablefaults;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.testing.aws.AwsBackend;
import dev.nimbus.testing.aws.AwsEmulator;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.FaultInjectingProxy;
import dev.nimbus.testing.aws.FaultPlan;
import dev.nimbus.testing.aws.TemplateTable;
import java.time.Duration;
import java.util.UUID;

/**
 * What the table-fault scenarios share: the JVM's AWS emulator, a fresh table of {@code
 * template.yaml} and a KMS key, clients that talk to the emulator directly (to set up and to check,
 * never faulted) and a {@link FaultInjectingProxy} in front of the emulator, which the functions
 * under test are pointed at.
 */
public final class FaultBench implements AutoCloseable {
  /**
   * The functions' attempt timeout under test: a held answer costs this long, and a slow emulator
   * answer must stay well under it (moto copies the whole table once per item of a transaction, so
   * a 96-item transaction on a table of a few hundred items takes seconds on a loaded machine).
   */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

  private final AwsBackend backend;
  private final AwsClients direct;
  private final String tableName;
  private final String keyAlias;
  private final FaultInjectingProxy proxy;

  private FaultBench(
      AwsBackend backend,
      AwsClients direct,
      String tableName,
      String keyAlias,
      FaultInjectingProxy proxy) {
    this.backend = backend;
    this.direct = direct;
    this.tableName = tableName;
    this.keyAlias = keyAlias;
    this.proxy = proxy;
  }

  /** A fresh table and key on the JVM's emulator, and a proxy in front of it breaking nothing. */
  public static FaultBench create(String stem) {
    AwsBackend backend = AwsEmulator.backend();
    AwsClients direct = AwsTestEnvironment.clientsFor(backend);
    String name = "nimbus-" + stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    TemplateTable.read(TemplateTable.locateTemplate()).create(direct.dynamoDb(), name);
    String keyId = direct.kms().createKey(b -> b.description(name)).keyMetadata().keyId();
    String alias = "alias/" + name;
    direct.kms().createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
    FaultInjectingProxy proxy =
        FaultInjectingProxy.start(backend.endpoint(), FaultPlan.none(), Duration.ofSeconds(10));
    return new FaultBench(backend, direct, name, alias, proxy);
  }

  public AwsBackend backend() {
    return backend;
  }

  /** Clients straight to the emulator: setting up and checking, never faulted. */
  public AwsClients direct() {
    return direct;
  }

  public String tableName() {
    return tableName;
  }

  public String keyAlias() {
    return keyAlias;
  }

  public FaultInjectingProxy proxy() {
    return proxy;
  }

  /**
   * Deletes the table and creates it again, empty, under the same name (the functions keep the name
   * they started with): each scenario run starts on a small table, which keeps moto's transactions
   * (a copy of the whole table per item) fast.
   */
  public void resetTable() {
    direct.dynamoDb().deleteTable(b -> b.tableName(tableName));
    TemplateTable.read(TemplateTable.locateTemplate()).create(direct.dynamoDb(), tableName);
  }

  /** A queue of this bench (name unique per bench). */
  public String queue(String suffix) {
    return direct.sqs().createQueue(b -> b.queueName(tableName + "-" + suffix)).queueUrl();
  }

  @Override
  public void close() {
    proxy.close();
    try {
      direct.dynamoDb().deleteTable(b -> b.tableName(tableName));
    } catch (RuntimeException ignored) {
      // The emulator goes with this JVM anyway.
    }
    direct.close();
  }
}
