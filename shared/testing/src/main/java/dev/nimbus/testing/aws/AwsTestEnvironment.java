package dev.nimbus.testing.aws;

import dev.nimbus.aws.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What an integration test gets from {@link AwsEmulatorExtension}: the JVM's emulator, SDK clients
 * for it (built by the project's one client factory) and a table and KMS key of its own, fresh for
 * the test class.
 */
public record AwsTestEnvironment(
    AwsBackend backend, AwsClients clients, String tableName, String keyId, String keyAlias) {

  /** Clients for a backend, with the emulator's dummy credentials. */
  public static AwsClients clientsFor(AwsBackend backend) {
    return AwsClients.create(
        Region.of(backend.region()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
        backend.endpoint());
  }

  public URI endpoint() {
    return backend.endpoint();
  }

  public String region() {
    return backend.region();
  }
}
