package dev.nimbus.wizard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.nimbus.testing.aws.TemplateTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The top-level {@code events/} fixture of the wizard function, for {@code sam local invoke -e}: it
 * parses into the handler's input type with the Lambda runtime's own serialization, names a route
 * the API serves, and carries the tenant claim under the name the template configures.
 */
class SamEventsTest {
  private static final Path ROOT = TemplateTable.locateTemplate().getParent();

  @Test
  void theListRequestIsAnHttpApiEventOfTenantAcmeOnAServedRoute() throws Exception {
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(
            ROOT.resolve("events/wizard-api-list-connections.json").toString());

    assertThat(event.getVersion()).isEqualTo("2.0");
    assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("GET");
    assertThat(event.getRawPath()).isEqualTo("/api/connections");
    assertThat(event.getRequestContext().getAuthorizer().getJwt().getClaims())
        .containsEntry("custom:tenant", "acme");
    assertThat(new WizardApi(null, null, null, null, null, null, null, "custom:tenant").routeList())
        .contains("GET /api/connections");
    // The claim the fixture carries is the one the deployed function reads.
    assertThat(Files.readString(ROOT.resolve("template.yaml")))
        .contains("WIZARD_TENANT_CLAIM: custom:tenant");
  }
}
