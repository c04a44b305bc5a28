package dev.nimbus.reliability;

import dev.nimbus.aws.AwsClients;
import dev.nimbus.testing.aws.AwsBackend;
import dev.nimbus.testing.aws.AwsEmulator;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import dev.nimbus.testing.aws.TemplateTable;
import java.util.UUID;

/**
 * A deployment's AWS resources on the emulator, fresh for one campaign: the table of template.yaml,
 * a KMS key with an alias, the discovery queue and the CI event bus.
 */
record Emulated(
    AwsBackend backend,
    AwsClients clients,
    String tableName,
    String keyAlias,
    String queueUrl,
    String eventBus)
    implements AutoCloseable {

  static Emulated create(String stem) {
    AwsBackend backend = AwsEmulator.backend();
    AwsClients clients = AwsTestEnvironment.clientsFor(backend);
    String name = "nimbus-" + stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    TemplateTable.read(TemplateTable.locateTemplate()).create(clients.dynamoDb(), name);
    String keyId = clients.kms().createKey(b -> b.description(name)).keyMetadata().keyId();
    String alias = "alias/" + name;
    clients.kms().createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
    String queue = clients.sqs().createQueue(b -> b.queueName(name)).queueUrl();
    clients.eventBridge().createEventBus(b -> b.name(name));
    return new Emulated(backend, clients, name, alias, queue, name);
  }

  @Override
  public void close() {
    try {
      clients.dynamoDb().deleteTable(b -> b.tableName(tableName));
    } catch (RuntimeException ignored) {
      // The emulator goes with this JVM anyway.
    }
    clients.close();
  }
}
