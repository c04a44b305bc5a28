package dev.nimbus.wizard;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands work to another function of the stack with an asynchronous Lambda invocation ({@code
 * Event}): Lambda queues the event and answers 202 at once, so a route stays far inside API
 * Gateway's 30 s while the usage sampler or the Pulumi runner works for minutes. Lambda retries a
 * failed asynchronous invocation twice; the runner's own checks (approval, stack lock) make a retry
 * harmless. The payload carries ids and inputs, never a secret: the functions read tokens from the
 * table themselves.
 */
public final class FunctionHandoff {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final LambdaClient lambda;
  private final String functionName;

  public FunctionHandoff(LambdaClient lambda, String functionName) {
    this.lambda = Objects.requireNonNull(lambda, "lambda");
    this.functionName = Objects.requireNonNull(functionName, "functionName");
  }

  public String functionName() {
    return functionName;
  }

  /** Queues {@code payload} (as JSON) for the function; fails unless Lambda accepted it (202). */
  public void hand(Map<String, Object> payload) {
    if (functionName.isBlank()) {
      throw new WizardException(
          WizardException.Kind.CONFLICT,
          "no Pulumi runner is deployed in this stack (template parameter PulumiRunnerImageUri)",
          java.util.List.of());
    }
    int status =
        lambda
            .invoke(
                b ->
                    b.functionName(functionName)
                        .invocationType(InvocationType.EVENT)
                        .payload(SdkBytes.fromUtf8String(JSON.writeValueAsString(payload))))
            .statusCode();
    if (status != 202) {
      throw new IllegalStateException("Lambda did not queue the invocation: status " + status);
    }
  }
}
