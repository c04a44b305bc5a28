package dev.nimbus.webhooks;

import java.io.IOException;
import java.time.Duration;

/**
 * A delivery that {@link HttpsPoster} aborted because the whole call (connect, TLS, request and
 * answer) took longer than its deadline, whatever the receiver was doing at the time: a receiver
 * that trickles interim {@code 100 Continue} lines, headers one byte at a time or never finishes
 * its answer resets every read timeout but cannot pass the deadline. An {@link IOException}, so a
 * caller that handles network errors handles this one too; it is retryable like a timeout.
 */
public final class WebhookDeadlineExceededException extends IOException {
  private final Duration deadline;

  public WebhookDeadlineExceededException(Duration deadline, String phase, Throwable cause) {
    super("deadline of " + deadline.toMillis() + " ms exceeded while " + phase, cause);
    this.deadline = deadline;
  }

  /** The deadline that was exceeded. */
  public Duration deadline() {
    return deadline;
  }
}
