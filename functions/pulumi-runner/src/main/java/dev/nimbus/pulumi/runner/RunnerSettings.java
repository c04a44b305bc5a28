package dev.nimbus.pulumi.runner;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where state and secrets live: {@code stateBucket}/{@code statePrefix} is the S3 backend ({@code
 * PULUMI_BACKEND_URL=s3://bucket/prefix?region=...}), {@code kmsKey} the key of the {@code
 * awskms://} secrets provider (a key of its own, not the token key), {@code pulumiHome} and {@code
 * workRoot} are under {@code /tmp} on Lambda (the only writable place). {@code forwarderPort} is
 * the loopback port of every run's forwarder (0: an ephemeral port, for tests that run engines side
 * by side): the stack's state keeps the provider's endpoint, and a {@code destroy} talks to that
 * endpoint without running the program, so deployments use one fixed port. {@code awsEndpoint} is
 * null in a deployment; an AWS emulator's address for local runs and tests, which the CLI's S3 and
 * KMS clients are then pointed at through the URLs' {@code endpoint} parameter.
 */
public record RunnerSettings(
    String stateBucket,
    String statePrefix,
    String region,
    String kmsKey,
    Path pulumiHome,
    Path workRoot,
    int forwarderPort,
    URI awsEndpoint) {
  public RunnerSettings {
    if (forwarderPort < 0 || forwarderPort > 65535) {
      throw new IllegalArgumentException("forwarderPort must be 0..65535");
    }
    Objects.requireNonNull(stateBucket, "stateBucket");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kmsKey, "kmsKey");
    statePrefix = statePrefix == null ? "" : statePrefix.replaceAll("^/+|/+$", "");
  }

  /** Settings for AWS itself (no endpoint override). */
  public RunnerSettings(
      String stateBucket,
      String statePrefix,
      String region,
      String kmsKey,
      Path pulumiHome,
      Path workRoot,
      int forwarderPort) {
    this(stateBucket, statePrefix, region, kmsKey, pulumiHome, workRoot, forwarderPort, null);
  }

  /** Settings whose runs take an ephemeral forwarder port (tests). */
  public RunnerSettings(
      String stateBucket,
      String statePrefix,
      String region,
      String kmsKey,
      Path pulumiHome,
      Path workRoot) {
    this(stateBucket, statePrefix, region, kmsKey, pulumiHome, workRoot, 0, null);
  }

  /**
   * {@code s3://bucket/prefix?region=r}; with an emulator also its {@code endpoint} and path-style
   * addressing (the Go CDK's S3 URL parameters, which the CLI's S3 backend reads).
   */
  public String backendUrl() {
    return "s3://"
        + stateBucket
        + (statePrefix.isEmpty() ? "" : "/" + statePrefix)
        + "?region="
        + region
        + (awsEndpoint == null ? "" : "&endpoint=" + encoded(awsEndpoint) + "&use_path_style=true");
  }

  /** {@code awskms://alias/name?region=r} or {@code awskms://<key id>?region=r}. */
  public String secretsProvider() {
    return "awskms://"
        + kmsKey
        + "?region="
        + region
        + (awsEndpoint == null ? "" : "&endpoint=" + encoded(awsEndpoint));
  }

  private static String encoded(URI uri) {
    return URLEncoder.encode(uri.toString(), StandardCharsets.UTF_8);
  }
}
