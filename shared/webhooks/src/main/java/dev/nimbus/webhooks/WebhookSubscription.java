package dev.nimbus.webhooks;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.model.SemanticType;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's webhook: where to POST its CI change events and which ones. An empty filter set means
 * "all". The signing secret is not part of this record: it is stored encrypted beside it and only
 * decrypted for delivery ({@link WebhookSubscriptionRepository#secretOf}).
 */
public record WebhookSubscription(
    String tenantId,
    String id,
    URI url,
    Set<SemanticType> semanticTypes,
    Set<ChangeKind> changeKinds,
    boolean enabled,
    Instant createdAt) {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public WebhookSubscription {
    requireSlug("tenantId", tenantId);
    requireSlug("id", id);
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    semanticTypes =
        semanticTypes == null || semanticTypes.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(semanticTypes));
    changeKinds =
        changeKinds == null || changeKinds.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(changeKinds));
  }

  /**
   * Whether this subscription wants a change of a CI of {@code type} in {@code tenant}: same
   * tenant, enabled, and the filters match. Takes the change's parts rather than the event type, so
   * that the wizard can preview a filter without the ci-events function's classes.
   */
  public boolean matches(String tenant, SemanticType type, ChangeKind kind) {
    return enabled
        && tenantId.equals(tenant)
        && (semanticTypes.isEmpty() || semanticTypes.contains(type))
        && (changeKinds.isEmpty() || changeKinds.contains(kind));
  }

  private static void requireSlug(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be 1-63 lower-case letters, digits or '-': '" + value + "'");
    }
  }

  @Override
  public String toString() {
    // The query string of a receiver URL may hold its own token: show host and path only.
    return "WebhookSubscription[" + tenantId + "/" + id + " -> " + UrlPolicy.safe(url) + "]";
  }
}
