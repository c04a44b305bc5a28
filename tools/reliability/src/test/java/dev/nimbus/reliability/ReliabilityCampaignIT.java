package dev.nimbus.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.SimulatorConfig;
import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.SecretLedger;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The campaigns of bin/reliability on the emulator, small: a discovery run through the real
 * function and three bad requests to every wizard route. Every route is tried and refused with a
 * 4xx, every kind of output was actually scanned (a clean row over nothing scanned would be
 * vacuous), and no secret is found.
 */
class ReliabilityCampaignIT {
  @Test
  void everyRouteRefusesItsBadInputsAndEveryOutputIsScannedAndClean() {
    SecretLedger secrets = new SecretLedger();
    SecretScan scan = new SecretScan(secrets);
    List<BadInputCampaign.RouteResult> routes;
    try (Emulated aws = Emulated.create("reliability-it");
        PveSimulator sim =
            PveSimulator.start(
                SimulatorConfig.demo()
                    .withVersion(PveVersion.V9_1)
                    .withAuthFailureDelay(Duration.ZERO))) {
      assertThat(DiscoveryScan.run(aws, sim, secrets, scan)).isPositive();
      routes = WizardCampaign.run(aws, sim, 3, 11L, secrets, scan);
    }

    assertThat(routes)
        .extracting(BadInputCampaign.RouteResult::route)
        .containsExactlyElementsOf(BadRequests.ROUTES);
    assertThat(routes)
        .allSatisfy(
            r -> {
              assertThat(r.tried()).isEqualTo(3);
              assertThat(r.clientErrors()).as(r.examples().toString()).isEqualTo(3);
            });
    assertThat(scan.outputs())
        .extracting(SecretScan.Output::name)
        .contains(
            "Discovery run: log lines",
            "Discovery run: EMF metric line",
            "Discovery run: CIs stored",
            "Discovery run: change events published (EventBridge)",
            "Discovery run: table requests (DynamoDB: items written, keys read)",
            "HTTP answers",
            "Wizard: log lines",
            "Wizard: table requests (DynamoDB: items written, keys read)",
            "Table items after both campaigns");
    assertThat(scan.outputs()).allSatisfy(o -> assertThat(o.texts()).as(o.name()).isPositive());
    assertThat(scan.outputs())
        .filteredOn(o -> o.name().equals("Discovery run: EMF metric line"))
        .singleElement()
        .extracting(SecretScan.Output::texts)
        .isEqualTo(1L);
    // Each bad request to a body route carries fresh secrets, and the two connections theirs.
    assertThat(secrets.size()).isGreaterThan(BadRequests.ROUTES.size());
    assertThat(scan.found()).isZero();

    ReliabilityReport report =
        new ReliabilityReport(
            LocalDate.now(),
            "bin/reliability",
            List.of(),
            "not here",
            routes,
            scan.outputs(),
            secrets.size());
    assertThat(report.targetsMet()).isTrue();
  }
}
