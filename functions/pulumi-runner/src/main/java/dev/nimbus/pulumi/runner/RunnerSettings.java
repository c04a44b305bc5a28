package dev.nimbus.pulumi.runner;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where state and secrets live: {@code stateBucket}/{@code statePrefix} is the S3 backend ({@code
 * PULUMI_BACKEND_URL=s3://bucket/prefix?region=...}), {@code kmsKey} the key of the {@code
 * awskms://} secrets provider (a key of its own, not the token key), {@code pulumiHome} and {@code
 * workRoot} are under {@code /tmp} on Lambda (the only writable place).
 */
public record RunnerSettings(
    String stateBucket,
    String statePrefix,
    String region,
    String kmsKey,
    Path pulumiHome,
    Path workRoot) {
  public RunnerSettings {
    Objects.requireNonNull(stateBucket, "stateBucket");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kmsKey, "kmsKey");
    statePrefix = statePrefix == null ? "" : statePrefix.replaceAll("^/+|/+$", "");
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
