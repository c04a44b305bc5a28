package dev.nimbus.pulumi.runner;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where state and secrets live: {@code stateBucket}/{@code statePrefix} is the S3 backend ({@code
 * PULUMI_BACKEND_URL=s3://bucket/prefix?region=...}), {@code kmsKey} the key of the {@code
 * awskms://} secrets provider (a key of its own, not the token key), {@code pulumiHome} and {@code
 * workRoot} are under {@code /tmp} on Lambda (the only writable place). {@code forwarderPort} is
 * the loopback port of every run's forwarder (0: an ephemeral port, for tests that run engines side
 * by side): the stack's state keeps the provider's endpoint, and a {@code destroy} talks to that
 * endpoint without running the program, so deployments use one fixed port.
 */
public record RunnerSettings(
    String stateBucket,
    String statePrefix,
    String region,
    String kmsKey,
    Path pulumiHome,
    Path workRoot,
    int forwarderPort) {
  public RunnerSettings {
    if (forwarderPort < 0 || forwarderPort > 65535) {
      throw new IllegalArgumentException("forwarderPort must be 0..65535");
    }
    Objects.requireNonNull(stateBucket, "stateBucket");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kmsKey, "kmsKey");
    statePrefix = statePrefix == null ? "" : statePrefix.replaceAll("^/+|/+$", "");
  }

  /** Settings whose runs take an ephemeral forwarder port (tests). */
  public RunnerSettings(
      String stateBucket,
      String statePrefix,
      String region,
      String kmsKey,
      Path pulumiHome,
      Path workRoot) {
    this(stateBucket, statePrefix, region, kmsKey, pulumiHome, workRoot, 0);
  }

  public String backendUrl() {
    return "s3://"
        + stateBucket
        + (statePrefix.isEmpty() ? "" : "/" + statePrefix)
        + "?region="
        + region;
  }

  /** {@code awskms://alias/name?region=r} or {@code awskms://<key id>?region=r}. */
  public String secretsProvider() {
    return "awskms://" + kmsKey + "?region=" + region;
  }
}
