package dev.nimbus.aws.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The keys every structured log line of an invocation carries (through SLF4J's MDC, which Spring
 * Boot's structured logging writes into each JSON line): the Lambda request id, and where the code
 * knows them the tenant, the connection and the run. Ids only: never a secret, never CI data.
 */
public final class LogContext {
  public static final String REQUEST_ID = "requestId";
  public static final String FUNCTION = "function";
  public static final String TENANT = "tenantId";
  public static final String CONNECTION = "connectionId";
  public static final String RUN = "runId";

  private LogContext() {}

  /** A scope that removes what it put when closed; it never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The request id of the current invocation, or null outside one. */
  public static String requestId() {
    return MDC.get(REQUEST_ID);
  }

  /** Puts the tenant, connection and run of the work that follows; null values are left out. */
  public static Scope forRun(String tenantId, String connectionId, String runId) {
    List<String> keys = new ArrayList<>();
    put(keys, TENANT, tenantId);
    put(keys, CONNECTION, connectionId);
    put(keys, RUN, runId);
    return () -> keys.forEach(MDC::remove);
  }

  /**
   * Wraps {@code task} so that it runs with the caller's context: MDC is per thread, and work
   * handed to another thread (webhook deliveries, parallel calls) would log without the request id.
   */
  public static Runnable propagating(Runnable task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> before = MDC.getCopyOfContextMap();
      if (context == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(context);
      }
      try {
        task.run();
      } finally {
        if (before == null) {
          MDC.clear();
        } else {
          MDC.setContextMap(before);
        }
      }
    };
  }

  private static void put(List<String> keys, String key, String value) {
    if (value != null && !value.isBlank()) {
      MDC.put(key, value);
      keys.add(key);
    }
  }
}
