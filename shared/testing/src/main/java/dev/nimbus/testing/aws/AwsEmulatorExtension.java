package dev.nimbus.testing.aws;

import dev.nimbus.aws.AwsClients;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * JUnit 5 extension for integration tests that need AWS: shares one emulator per JVM ({@link
 * AwsEmulator}) and gives each test class a fresh table of the shape {@code template.yaml}
 * declares, plus a fresh KMS key with an alias. Inject {@link AwsTestEnvironment} into a
 * constructor, a {@code @BeforeAll} or a test method.
 *
 * <p>If no emulator can be had, the test class fails with a message saying what to install; it is
 * never skipped.
 */
public final class AwsEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(AwsEmulatorExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    AwsBackend backend = AwsEmulator.backend();
    AwsClients clients = AwsTestEnvironment.clientsFor(backend);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String tableName = "nimbus-" + context.getRequiredTestClass().getSimpleName() + "-" + suffix;
    TemplateTable.read(TemplateTable.locateTemplate()).create(clients.dynamoDb(), tableName);
    KmsClient kms = clients.kms();
    String keyId =
        kms.createKey(b -> b.description("nimbus test key for " + tableName)).keyMetadata().keyId();
    String alias = "alias/" + tableName;
    kms.createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
    context
        .getStore(NS)
        .put(
            AwsTestEnvironment.class,
            new AwsTestEnvironment(backend, clients, tableName, keyId, alias));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    AwsTestEnvironment env =
        context.getStore(NS).get(AwsTestEnvironment.class, AwsTestEnvironment.class);
    if (env == null) {
      return;
    }
    try (DynamoDbClient dynamo = env.clients().dynamoDb()) {
      dynamo.deleteTable(b -> b.tableName(env.tableName()));
    } catch (RuntimeException ignored) {
      // The emulator dies with the JVM anyway; a failed clean-up must not fail the tests.
    }
    env.clients().close();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsTestEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getStore(NS).get(AwsTestEnvironment.class) == null
        && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    AwsTestEnvironment env =
        classContext.getStore(NS).get(AwsTestEnvironment.class, AwsTestEnvironment.class);
    if (env == null) {
      throw new IllegalStateException("AwsEmulatorExtension did not set up this class");
    }
    return env;
  }
}
