package dev.nimbus.testing.aws;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack through Testcontainers, isolated here so the class is touched only when Docker runs.
 */
final class LocalStack {
  private LocalStack() {}

  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
  static AwsBackend start(String image, String region) {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(image))
            .withServices("dynamodb", "kms", "events", "s3");
    container.start();
    return new AwsBackend(
        AwsBackend.Kind.LOCALSTACK, URI.create(container.getEndpoint().toString()), region);
  }
}
