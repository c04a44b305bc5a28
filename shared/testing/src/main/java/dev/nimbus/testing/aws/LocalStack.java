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
    // Testcontainers spends seconds trying every strategy when there is no engine at all; without
    // DOCKER_HOST or a local socket there is nothing for it to find.
    if (System.getenv("DOCKER_HOST") == null
        && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
        && !java.nio.file.Files.exists(
            java.nio.file.Path.of(
                System.getProperty("user.home"), ".docker", "run", "docker.sock"))) {
      return false;
    }
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
