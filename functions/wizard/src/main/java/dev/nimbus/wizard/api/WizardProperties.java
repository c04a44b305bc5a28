package dev.nimbus.wizard.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the wizard function, from the Lambda environment (names in
 * application.properties).
 *
 * @param tenantClaim the JWT claim that names the caller's tenant ({@code WIZARD_TENANT_CLAIM},
 *     default {@code custom:tenant}, a Cognito custom attribute)
 * @param allowedPrivateCidrs private ranges the wizard may connect to, comma-separated ({@code
 *     WIZARD_ALLOWED_PRIVATE_CIDRS}); empty: public addresses only
 * @param previewBudget how long a preview may read the cluster, inside API Gateway's 30 s
 */
@ConfigurationProperties("nimbus.wizard")
public record WizardProperties(
    String tableName,
    String tokenKeyId,
    String queueUrl,
    String tenantClaim,
    String allowedPrivateCidrs,
    int historyRetentionDays,
    Duration previewBudget) {}
