package dev.nimbus.wizard;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.model.Secret;
import dev.nimbus.model.SemanticType;
import dev.nimbus.webhooks.HttpsPoster;
import dev.nimbus.webhooks.UrlPolicy;
import dev.nimbus.webhooks.WebhookSigner;
import dev.nimbus.webhooks.WebhookSubscription;
import dev.nimbus.webhooks.WebhookSubscriptionRepository;
import dev.nimbus.webhooks.WebhookUrlRejectedException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's webhook subscriptions as the wizard manages them: create (the signing secret is
 * generated here and shown once, in the create answer; only its ciphertext is kept), list, delete
 * and a signed test delivery. The URL passes the same {@link UrlPolicy} the ci-events function
 * checks before every delivery, here before it is stored and again before the test is sent.
 */
public final class WebhookAdmin {
  /** Header naming the webhook, as the ci-events function sends it. */
  static final String WEBHOOK_ID_HEADER = "Nimbus-Webhook-Id";

  private final WebhookSubscriptionRepository repository;
  private final UrlPolicy urlPolicy;
  private final HttpsPoster poster;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebhookAdmin(
      WebhookSubscriptionRepository repository,
      UrlPolicy urlPolicy,
      HttpsPoster poster,
      Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    this.poster = Objects.requireNonNull(poster, "poster");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new subscription and its signing secret, which no later answer shows again. */
  public record Created(WebhookSubscription subscription, String signingSecret) {
    @Override
    public String toString() {
      return "Created[" + subscription + ", signingSecret=(hidden)]";
    }
  }

  /** What a test delivery got: the receiver's status, or why nothing was delivered. */
  public record TestResult(boolean delivered, int status, String error) {}

  /**
   * Creates a subscription with a fresh signing secret.
   *
   * @throws WizardException VALIDATION for a bad URL or filter, POLICY for a refused address,
   *     CONFLICT when the id is taken
   */
  public Created create(
      String tenantId, String id, String url, Set<SemanticType> types, Set<ChangeKind> kinds) {
    URI uri = uri(url);
    if (repository.find(tenantId, id).isPresent()) {
      throw WizardException.field(
          WizardException.Kind.CONFLICT, "id", "a webhook '" + id + "' already exists");
    }
    WebhookSubscription subscription;
    try {
      subscription =
          new WebhookSubscription(tenantId, id, uri, types, kinds, true, clock.instant());
    } catch (IllegalArgumentException e) {
      throw WizardException.field(WizardException.Kind.VALIDATION, "id", e.getMessage());
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Secret secret = Secret.of(text);
    try {
      if (!repository.create(subscription, secret)) {
        // Created by another request between the check above and this write.
        throw WizardException.field(
            WizardException.Kind.CONFLICT, "id", "a webhook '" + id + "' already exists");
      }
    } catch (WebhookUrlRejectedException e) {
      throw WizardException.field(WizardException.Kind.POLICY, "url", e.getMessage());
    } finally {
      secret.destroy();
    }
    return new Created(subscription, text);
  }

  /** The tenant's subscriptions (without secrets). */
  public List<WebhookSubscription> list(String tenantId) {
    return repository.list(tenantId).stream()
        .map(WebhookSubscriptionRepository.Stored::subscription)
        .toList();
  }

  /** Deletes one subscription; another tenant's or an unknown id is not found. */
  public void delete(String tenantId, String id) {
    find(tenantId, id);
    repository.delete(tenantId, id);
  }

  /**
   * Sends one signed test event ({@code detail-type: Nimbus Webhook Test}) to the subscription,
   * once, without retries, and reports the receiver's answer. A refused address is a POLICY
   * problem; a receiver that is down or answers an error is a result, not a failure.
   */
  public TestResult test(String tenantId, String id) {
    WebhookSubscriptionRepository.Stored stored = find(tenantId, id);
    UrlPolicy.Target target;
    try {
      target = urlPolicy.check(stored.subscription().url());
    } catch (WebhookUrlRejectedException e) {
      throw WizardException.field(WizardException.Kind.POLICY, "url", e.getMessage());
    }
    String eventId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    String body =
        "{\"id\":\""
            + eventId
            + "\",\"detail-type\":\"Nimbus Webhook Test\",\"source\":\"nimbus.wizard\",\"time\":\""
            + now
            + "\",\"detail\":{\"eventId\":\""
            + eventId
            + "\",\"tenantId\":\""
            + tenantId
            + "\",\"webhookId\":\""
            + id
            + "\"}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSigner.EVENT_ID_HEADER, eventId);
    headers.put(WEBHOOK_ID_HEADER, id);
    Secret secret = repository.decryptSecret(stored);
    try {
      headers.put(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(secret.reveal(), now, bytes));
    } finally {
      secret.destroy();
    }
    try {
      int status = poster.post(target, headers, bytes);
      boolean ok = status >= 200 && status < 300;
      return new TestResult(ok, status, ok ? null : "HTTP " + status);
    } catch (IOException e) {
      return new TestResult(false, 0, e.getClass().getSimpleName());
    }
  }

  private WebhookSubscriptionRepository.Stored find(String tenantId, String id) {
    return repository
        .find(tenantId, id)
        .orElseThrow(() -> WizardException.notFound("webhook '" + id + "'"));
  }

  private static URI uri(String url) {
    try {
      URI uri = new URI(url);
      if (!uri.isAbsolute() || !"https".equalsIgnoreCase(uri.getScheme())) {
        throw WizardException.field(
            WizardException.Kind.VALIDATION, "url", "must be an https:// URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw WizardException.field(WizardException.Kind.VALIDATION, "url", "is not a URL");
    }
  }
}
