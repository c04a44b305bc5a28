package dev.nimbus.events;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the ci-events function, bound from {@code nimbus.events.*} ({@code
 * application.properties} maps the Lambda environment onto it: {@code TABLE_NAME}, {@code
 * EVENT_BUS_NAME}, {@code TOKEN_KEY_ID}, {@code NIMBUS_LOCAL_MODE}, ...).
 *
 * @param tableName the Nimbus table
 * @param eventBusName the custom bus events go to
 * @param tokenKeyId the KMS key (id, ARN or alias) of webhook secrets
 * @param region the AWS region; empty means {@code AWS_REGION}
 * @param endpoint an AWS endpoint override for the local run and tests; empty in a deployment
 * @param localMode allow loopback webhook URLs (local run and tests only)
 * @param webhookAllowedCidrs private ranges webhooks may call, explicitly allowed
 * @param webhookTrustPem a PEM file whose certificates alone are trusted for webhook TLS (local run
 *     and tests); empty means the JVM's trust store
 */
@ConfigurationProperties("nimbus.events")
public record CiEventsProperties(
    String tableName,
    String eventBusName,
    String tokenKeyId,
    @DefaultValue("") String region,
    @DefaultValue("") String endpoint,
    @DefaultValue("false") boolean localMode,
    @DefaultValue List<String> webhookAllowedCidrs,
    @DefaultValue("") String webhookTrustPem,
    @DefaultValue("3s") Duration webhookConnectTimeout,
    @DefaultValue("10s") Duration webhookReadTimeout,
    @DefaultValue("3") int webhookMaxAttempts,
    @DefaultValue("500ms") Duration webhookBackoff,
    @DefaultValue("5s") Duration webhookMaxBackoff,
    @DefaultValue("4") int publishMaxAttempts,
    @DefaultValue("100ms") Duration publishBackoff,
    @DefaultValue("14d") Duration failureRetention) {

  public CiEventsProperties {
    webhookAllowedCidrs =
        webhookAllowedCidrs == null ? List.of() : List.copyOf(webhookAllowedCidrs);
  }

  /** Fails fast, at start-up, on what the function cannot run without. */
  void requireComplete() {
    requireSet("nimbus.events.table-name (TABLE_NAME)", tableName);
    requireSet("nimbus.events.event-bus-name (EVENT_BUS_NAME)", eventBusName);
    requireSet("nimbus.events.token-key-id (TOKEN_KEY_ID)", tokenKeyId);
  }

  private static void requireSet(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " must be set");
    }
  }
}
