package dev.nimbus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.local.LocalOptions.Output;
import dev.nimbus.local.LocalOptions.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalOptionsTest {
  private static final String FP =
      "6D:B0:9A:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:2E:51:1A:0F";
  private static final String SECRET = "5f1c2a9e-0d4b-4c1e-9a57-3b2f8e6d7c10";

  private static LocalOptions parse(String... args) {
    return LocalOptions.parse(List.of(args));
  }

  @Test
  void withoutArgumentsItDiscoversTheDemoSimulatorAndPrintsText() {
    LocalOptions o = parse();

    assertThat(o.output()).isEqualTo(Output.TEXT);
    assertThat(o.real()).isEmpty();
    assertThat(o.simulator().version()).isEqualTo("9.1");
    assertThat(o.simulator().nodes()).isEmpty();
  }

  @Test
  void outputJsonSelectsTheMachineReadableMode() {
    assertThat(parse("--output", "json").output()).isEqualTo(Output.JSON);
    assertThat(parse("--output=json").output()).isEqualTo(Output.JSON);
    assertThat(parse("--output", "text").output()).isEqualTo(Output.TEXT);
  }

  @Test
  void anUnknownOutputFormatIsRefused() {
    assertThatThrownBy(() -> parse("--output", "yaml"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("text or json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--token-secret", "--secret", "--password", "--token-value"})
  void aSecretGivenAsAnArgumentIsRefusedAndNotRepeated(String option) {
    assertThatThrownBy(
            () ->
                parse(
                    "--endpoint",
                    "https://pve1.example.com:8006",
                    "--token-id",
                    "nimbus@pve!discovery",
                    option,
                    SECRET,
                    "--fingerprint",
                    FP))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("PROXMOX_TOKEN_SECRET")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aSecretGivenInlineWithAnEqualsSignIsRefusedToo() {
    assertThatThrownBy(() -> parse("--token-secret=" + SECRET))
        .isInstanceOf(UsageException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aTokenIdThatCarriesItsSecretIsRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    "--endpoint",
                    "https://pve1.example.com:8006",
                    "--token-id",
                    "nimbus@pve!discovery=" + SECRET,
                    "--fingerprint",
                    FP))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("id only")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aRealProxmoxWithALoneFingerprintIsPinnedForTheHostsNodeAndNamedAfterIt() {
    LocalOptions o =
        parse(
            "--endpoint",
            "https://pve1.example.com:8006",
            "--token-id",
            "nimbus@pve!discovery",
            "--fingerprint",
            FP.toLowerCase());

    LocalOptions.RealProxmox real = o.real().orElseThrow();
    assertThat(real.fingerprints()).containsExactlyEntriesOf(java.util.Map.of("pve1", FP));
    assertThat(real.name()).isEqualTo("pve1");
    assertThat(real.tokenId()).isEqualTo("nimbus@pve!discovery");
  }

  @Test
  void fingerprintsCanBeGivenPerNodeAndTheConnectionNamed() {
    String other = FP.replace("6D", "7E");
    LocalOptions o =
        parse(
            "--endpoint",
            "https://10.0.0.5:8006",
            "--token-id",
            "nimbus@pve!discovery",
            "--fingerprint",
            "pve1=" + FP,
            "--fingerprint",
            "pve2=" + other,
            "--name",
            "homelab");

    assertThat(o.real().orElseThrow().fingerprints()).containsOnlyKeys("pve1", "pve2");
    assertThat(o.real().orElseThrow().name()).isEqualTo("homelab");
  }

  @Test
  void aCaFileCanReplaceThePins() {
    LocalOptions o =
        parse(
            "--endpoint",
            "https://pve.lan",
            "--token-id",
            "nimbus@pve!discovery",
            "--ca-file",
            "pve-root-ca.pem");

    assertThat(o.real().orElseThrow().caFile()).contains(Path.of("pve-root-ca.pem"));
    assertThat(o.real().orElseThrow().fingerprints()).isEmpty();
  }

  @Test
  void aRealProxmoxWithoutAWayToVerifyItsCertificateIsRefused() {
    assertThatThrownBy(
            () -> parse("--endpoint", "https://pve.lan:8006", "--token-id", "nimbus@pve!ro"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("never skipped");
  }

  @Test
  void aPlainHttpEndpointIsRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    "--endpoint",
                    "http://pve.lan:8006",
                    "--token-id",
                    "nimbus@pve!ro",
                    "--fingerprint",
                    FP))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("https://");
  }

  @Test
  void aMalformedFingerprintIsRefused() {
    assertThatThrownBy(() -> parse("--fingerprint", "AB:CD"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void simulatorOptionsChooseVersionAndSize() {
    LocalOptions o = parse("--version", "8.4", "--nodes", "16", "--guests", "1000");

    assertThat(o.simulator().version()).isEqualTo("8.4");
    assertThat(o.simulator().nodes()).contains(16);
    assertThat(o.simulator().guests()).contains(1000);
  }

  @Test
  void nodesWithoutGuestsIsRefused() {
    assertThatThrownBy(() -> parse("--nodes", "3")).isInstanceOf(UsageException.class);
  }

  @Test
  void stopAndResetAreFlags() {
    assertThat(parse("--stop").stop()).isTrue();
    assertThat(parse("--reset", "--output", "json").reset()).isTrue();
  }

  @Test
  void anUnknownOptionIsRefusedWithTheUsage() {
    assertThatThrownBy(() -> parse("--verbose"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option --verbose")
        .hasMessageContaining("usage: bin/discover");
  }

  @Test
  void connectionIdsFromHostsAreSlugs() {
    assertThat(LocalOptions.connectionIdOf("PVE-Main.example.com")).isEqualTo("pve-main");
    assertThat(LocalOptions.connectionIdOf("192.168.1.10")).isEqualTo("pve-192-168-1-10");
  }
}
