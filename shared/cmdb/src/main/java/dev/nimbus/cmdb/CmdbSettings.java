package dev.nimbus.cmdb;

import java.time.Duration;
import java.util.Objects;

/**
 * How the CMDB writes: how long history entries (and run records) are kept before DynamoDB's TTL
 * removes them, and how many CI writes go into one transaction (each is two items, the CI and its
 * history entry, so at most 50 fit DynamoDB's 100-item limit).
 */
public record CmdbSettings(Duration historyRetention, int cisPerTransaction) {
  /** AWS Config's own default is seven years; 400 days covers a year plus a margin. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);

  /** DynamoDB allows 100 items per transaction; each CI write is two. */
  public static final int MAX_CIS_PER_TRANSACTION = 50;

  public CmdbSettings {
    Objects.requireNonNull(historyRetention, "historyRetention");
    if (historyRetention.isNegative() || historyRetention.isZero()) {
      throw new IllegalArgumentException("history retention must be positive");
    }
    if (cisPerTransaction < 1 || cisPerTransaction > MAX_CIS_PER_TRANSACTION) {
      throw new IllegalArgumentException(
          "cisPerTransaction must be 1.." + MAX_CIS_PER_TRANSACTION + ": " + cisPerTransaction);
    }
  }

  /** 400 days of history, 50 CIs per transaction. */
  public static CmdbSettings defaults() {
    return new CmdbSettings(DEFAULT_RETENTION, MAX_CIS_PER_TRANSACTION);
  }

  public CmdbSettings withHistoryRetention(Duration retention) {
    return new CmdbSettings(retention, cisPerTransaction);
  }

  public CmdbSettings withCisPerTransaction(int n) {
    return new CmdbSettings(historyRetention, n);
  }
}
