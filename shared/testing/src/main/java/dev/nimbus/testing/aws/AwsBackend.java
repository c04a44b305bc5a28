package dev.nimbus.testing.aws;

import java.net.URI;

/**
 * The AWS emulator (or real endpoint) the tests of this JVM talk to. One per JVM, chosen by {@link
 * AwsEmulator}: an explicit {@code AWS_ENDPOINT_URL}, LocalStack through Testcontainers when a
 * Docker engine answers, or a {@code moto_server} process on a free loopback port.
 */
public record AwsBackend(Kind kind, URI endpoint, String region) {

  /** Where the endpoint comes from. */
  public enum Kind {
    /** {@code AWS_ENDPOINT_URL} was set; nothing was started. */
    EXTERNAL,
    /** LocalStack in a container started by Testcontainers. */
    LOCALSTACK,
    /** A {@code moto_server} process started by this JVM. */
    MOTO
  }
}
