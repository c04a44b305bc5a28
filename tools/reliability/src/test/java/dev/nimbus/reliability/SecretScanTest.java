package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.testing.badinput.SecretLedger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SecretScanTest {
  private final SecretLedger secrets = new SecretLedger();
  private final SecretScan scan = new SecretScan(secrets);

  @Test
  void aLeakedSecretIsCountedPerOutputWithWhereButNotWhat() {
    String token = secrets.fresh("");
    scan.scan("Wizard: log lines", "log line 1", "GET /api/connections 200 3 ms");
    scan.scan("Wizard: log lines", "log line 2", "failed with secret " + token);
    scan.scan("HTTP answers", "POST /api/check", "{}");

    assertThat(scan.found()).isEqualTo(1);
    assertThat(scan.outputs())
        .containsExactly(
            new SecretScan.Output(
                "Wizard: log lines", 2, 29 + 19 + token.length(), 1, List.of("log line 2")),
            new SecretScan.Output("HTTP answers", 1, 2, 0, List.of()));
  }

  @Test
  void aSecretInABinaryOrNestedAttributeOfAStoredItemIsFound() {
    String password = secrets.fresh("pw-");
    Map<String, AttributeValue> item =
        Map.of(
            "PK", AttributeValue.fromS("TENANT#acme"),
            "blob",
                AttributeValue.fromB(SdkBytes.fromString("x" + password, StandardCharsets.UTF_8)),
            "nested",
                AttributeValue.fromM(
                    Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS(password))))));

    scan.scan("Table items", "item", WizardCampaign.text(item));

    assertThat(scan.found()).isEqualTo(2);
  }
}
