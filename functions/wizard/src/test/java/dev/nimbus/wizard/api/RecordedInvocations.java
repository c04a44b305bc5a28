package dev.nimbus.wizard.api;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Records every Lambda invocation the SDK sends (registered for the Lambda client through the SDK's
 * {@code execution.interceptors} resource, test classpath only): what left the function at the AWS
 * boundary. The emulator answers the invocation itself (202 for an {@code Event}).
 */
public final class RecordedInvocations implements ExecutionInterceptor {
  /** One sent invocation. */
  public record Invocation(String functionName, String invocationType, String payload) {}

  private static final List<Invocation> SENT = new ArrayList<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
    if (context.request() instanceof InvokeRequest r) {
      synchronized (SENT) {
        SENT.add(
            new Invocation(
                r.functionName(),
                r.invocationTypeAsString(),
                r.payload() == null ? null : r.payload().asUtf8String()));
      }
    }
  }

  static List<Invocation> sent() {
    synchronized (SENT) {
      return List.copyOf(SENT);
    }
  }

  static void clear() {
    synchronized (SENT) {
      SENT.clear();
    }
  }
}
