package dev.nimbus.webhooks;

/** A webhook URL that the {@link UrlPolicy} refuses; the message says which rule and why. */
public final class WebhookUrlRejectedException extends RuntimeException {
  public WebhookUrlRejectedException(String message) {
    super(message);
  }
}
