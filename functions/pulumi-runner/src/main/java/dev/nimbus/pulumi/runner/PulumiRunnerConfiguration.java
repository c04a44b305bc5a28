package dev.nimbus.pulumi.runner;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.LocalPulumiCommand;
import com.pulumi.automation.PulumiCommand;
import dev.nimbus.aws.AwsClients;
import dev.nimbus.connections.ConnectionService;
import dev.nimbus.connections.ConnectionsConfig;
import dev.nimbus.connections.FieldError;
import dev.nimbus.infra.programs.ProgramCatalog;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the runner: settings checked first (a missing variable fails the start, not the first
 * deployment), AWS clients built once per Lambda instance by the project's one client factory, the
 * connection store that decrypts tokens, and the Pulumi CLI found on the image's PATH.
 */
@Configuration(proxyBeanMethods = false)
public class PulumiRunnerConfiguration {

  @Bean
  RunnerSettings runnerSettings(PulumiRunnerProperties props) {
    return props.settings();
  }

  /** Built after the settings were checked (it takes them), so a bad start fails on those first. */
  @Bean(destroyMethod = "close")
  AwsClients awsClients(RunnerSettings settings) {
    return AwsClients.fromEnvironment();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ConnectionService connectionService(AwsClients aws, PulumiRunnerProperties p, Clock clock) {
    return ConnectionService.create(
        aws, new ConnectionsConfig(p.tableName(), p.tokenKeyId()), clock);
  }

  /**
   * The CLI on the PATH, created on first use and kept: creating it runs {@code pulumi version}.
   * Without a CLI the run fails with the Automation API's message in its record.
   */
  @Bean
  DeploymentService.CommandFactory pulumiCommand() {
    return new DeploymentService.CommandFactory() {
      private PulumiCommand command;

      @Override
      public synchronized PulumiCommand create() throws AutomationException {
        if (command == null) {
          command = LocalPulumiCommand.create();
        }
        return command;
      }
    };
  }

  @Bean
  DeploymentService deploymentService(
      ConnectionService connections,
      RunnerSettings settings,
      DeploymentService.CommandFactory commands,
      Clock clock) {
    return new DeploymentService(
        ProgramCatalog.standard(),
        connections::resolve,
        // Step 1 of issue 15's runner: replaced by the inventory from the CMDB in the next commit.
        ref -> {
          throw new RequestRejected(
              503, List.of(new FieldError("connectionId", "inventory not available yet")));
        },
        new InMemoryDeploymentRunStore(),
        settings,
        commands,
        clock);
  }
}
