package dev.nimbus.testing.aws;

/** A fault {@link FaultInjectingProxy} injects into one request. */
public enum FaultKind {
  /**
   * Refused before it reaches the emulator: HTTP 400 with the {@code __type} DynamoDB uses for
   * {@code ProvisionedThroughputExceededException} (other services: {@code ThrottlingException}),
   * which the SDK classifies as throttling and retries with backoff. Nothing was applied.
   */
  THROTTLE,
  /** Refused before it reaches the emulator: HTTP 500 {@code InternalServerError}. */
  SERVER_ERROR,
  /**
   * Forwarded and applied, then the answer is held back until the client gives up (its attempt
   * timeout) and closes the connection: the caller cannot know the request took effect.
   */
  TIMEOUT,
  /**
   * Forwarded and applied; the emulator's answer is read and thrown away and the client's
   * connection closed without a byte: the SDK sees an I/O error and retries a request that already
   * took effect.
   */
  DROP_AFTER_APPLY
}
