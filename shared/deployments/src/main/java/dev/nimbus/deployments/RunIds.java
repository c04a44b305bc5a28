package dev.nimbus.deployments;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run ids that sort by start time: {@code 20261130T070000123Z-1a2b3c4d} (UTC to the millisecond,
 * then 32 random bits). The run store keys run records by the id ({@code DEPLOY#<runId>}), so a
 * connection's runs come back newest first from one query and a run is found by one key read. Safe
 * in URLs and keys; anything else handed in as a run id is refused before any read.
 */
public final class RunIds {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{8}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  public static String next(Instant startedAt) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return TIME.format(startedAt) + "-" + HexFormat.of().formatHex(random);
  }

  public static boolean isValid(String runId) {
    return runId != null && FORMAT.matcher(runId).matches();
  }
}
