package dev.nimbus.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Everything the functions send to AWS while recording is on (registered for every SDK client of
 * this tool's JVM through the SDK's global {@code execution.interceptors} resource): the items
 * written to the table, the messages queued, the functions invoked, the events published. The
 * campaign scans these bodies for secrets, because what leaves for AWS is an output too.
 */
public final class AwsRequestLog implements ExecutionInterceptor {
  /** One request: service, operation and body as sent. */
  public record Sent(String service, String operation, String body) {}

  private static final List<Sent> SENT = new ArrayList<>();
  private static volatile boolean recording;

  /** Starts recording (and forgets what was recorded before). */
  static void start() {
    synchronized (SENT) {
      SENT.clear();
    }
    recording = true;
  }

  /** Stops recording and returns what was sent meanwhile. */
  static List<Sent> stop() {
    recording = false;
    synchronized (SENT) {
      return List.copyOf(SENT);
    }
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
    if (!recording) {
      return;
    }
    String body = "";
    if (context.requestBody().isPresent()) {
      try (InputStream in = context.requestBody().get().contentStreamProvider().newStream()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Sent sent =
        new Sent(
            a.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
            a.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
            body);
    synchronized (SENT) {
      SENT.add(sent);
    }
  }
}
