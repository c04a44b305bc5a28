package dev.nimbus.testing.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The harness against a small application of its own: the event goes through FunctionInvoker's JSON
 * conversion into the bean's input type and back, the configuration reaches the application, the
 * context starts once for many invocations, and closing restores the system properties.
 */
class LambdaHarnessTest {
  static final AtomicInteger CONTEXTS = new AtomicInteger();

  /** The input and output types, as a Lambda event and answer. */
  public record Greeting(String name, int times) {}

  public record Answer(String text, String tableName) {}

  @SpringBootApplication
  public static class GreeterApplication {
    @Bean
    Function<Greeting, Answer> greet(@Value("${nimbus.test.table-name:unset}") String table) {
      CONTEXTS.incrementAndGet();
      return g -> new Answer(("hello " + g.name() + " ").repeat(g.times()).strip(), table);
    }
  }

  @AfterEach
  void noPropertyLeaks() {
    assertThat(System.getProperty("MAIN_CLASS")).isNull();
    assertThat(System.getProperty("nimbus.test.table-name")).isNull();
  }

  @Test
  void anEventGoesThroughTheInvokerToTheBeanAndTheAnswerComesBackAsJson() {
    try (LambdaHarness harness =
        LambdaHarness.forApplication(GreeterApplication.class)
            .function("greet")
            .property("nimbus.test.table-name", "nimbus-harness")
            .start()) {

      String answer = harness.invoke("{\"name\":\"pve\",\"times\":2}");

      assertThat(answer)
          .isEqualTo("{\"text\":\"hello pve hello pve\",\"tableName\":\"nimbus-harness\"}");
    }
  }

  @Test
  void theContextStartsOnceAndServesEveryInvocationLikeAWarmContainer() {
    int before = CONTEXTS.get();
    try (LambdaHarness harness =
        LambdaHarness.forApplication(GreeterApplication.class).function("greet").start()) {

      harness.invoke("{\"name\":\"a\",\"times\":1}");
      harness.invokeFixture("lambda-harness/greeting.json");
      harness.invoke("{\"name\":\"c\",\"times\":1}");

      assertThat(CONTEXTS.get() - before).isEqualTo(1);
      assertThat(harness.invokeFixture("/lambda-harness/greeting.json")).contains("hello fixture");
    }
  }

  @Test
  void closingRestoresWhatWasSetBeforeAndAClosedHarnessRefusesEvents() {
    System.setProperty("aws.region", "us-west-2");
    try {
      LambdaHarness harness =
          LambdaHarness.forApplication(GreeterApplication.class)
              .function("greet")
              .awsEmulator(java.net.URI.create("http://127.0.0.1:1"), "eu-central-1")
              .start();
      assertThat(System.getProperty("aws.region")).isEqualTo("eu-central-1");
      assertThat(System.getProperty("MAIN_CLASS")).isEqualTo(GreeterApplication.class.getName());

      harness.close();

      assertThat(System.getProperty("aws.region")).isEqualTo("us-west-2");
      assertThat(System.getProperty("aws.endpointUrl")).isNull();
      assertThatThrownBy(() -> harness.invoke("{}")).hasMessageContaining("closed");
    } finally {
      System.clearProperty("aws.region");
    }
  }

  @Test
  void aMissingFixtureIsNamed() {
    assertThatThrownBy(() -> LambdaHarness.fixture("events/nope.json"))
        .hasMessageContaining("events/nope.json");
  }
}
