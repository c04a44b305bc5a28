package dev.nimbus.testing.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS request the SDK sends in this JVM, by service and operation ({@code
 * DynamoDb.UpdateItem}, {@code Sqs.SendMessageBatch}), retries included: exact figures for tests
 * and benchmarks that must count table operations of code they do not construct (a function bean
 * started through {@code FunctionInvoker} builds its own clients).
 *
 * <p>The SDK adds it to every client it builds when a class-path resource {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors} names this class; only test class
 * paths and the local-run tools carry that resource, never a function's jar. Counts are global to
 * the JVM: take a {@link #snapshot()} before and after the code under measurement and compare with
 * {@link Counts#minus}, with nothing else calling AWS meanwhile.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
  private static final LongAdder NANOS = new LongAdder();
  private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("nimbus.sentAt");
  private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);
  private static volatile boolean serialize;

  /** The SDK instantiates it from the class-path resource. */
  public AwsCallCounter() {}

  /**
   * Sends at most one AWS request at a time in this JVM (a fair lock from transmission to answer).
   * For moto only: its server handles requests on threads but is not safe for concurrent writes
   * (parallel TransactWriteItems fail with {@code RuntimeError: dictionary changed size during
   * iteration} in its log, about one in seven requests with ten parallel discovery runs), and the
   * SDK's backoff after those 500s then dominates everything. Everything else still runs in
   * parallel. Synchronous clients send on the calling thread, so the lock is held and released
   * there.
   */
  public static void serializeRequests(boolean on) {
    serialize = on;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    String service = attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (serialize && !ONE_AT_A_TIME.isHeldByCurrentThread()) {
      ONE_AT_A_TIME.lock();
    }
    COUNTS.computeIfAbsent(service + "." + operation, k -> new LongAdder()).increment();
    attrs.putAttribute(SENT, System.nanoTime());
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
    Long sent = attrs.getAttribute(SENT);
    if (sent != null) {
      NANOS.add(System.nanoTime() - sent);
    }
    release();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attrs) {
    // A transmission that failed (connection reset, timeout) never reached afterTransmission.
    release();
  }

  private static void release() {
    while (ONE_AT_A_TIME.isHeldByCurrentThread()) {
      ONE_AT_A_TIME.unlock();
    }
  }

  /** The requests sent so far, by {@code Service.Operation}. */
  public static Counts snapshot() {
    TreeMap<String, Long> copy = new TreeMap<>();
    COUNTS.forEach((k, v) -> copy.put(k, v.sum()));
    return new Counts(copy, NANOS.sum());
  }

  /**
   * Request counts by {@code Service.Operation}, sorted, and the time the requests were on the wire
   * (sent to answered, summed over every thread: with parallel callers it can exceed wall time).
   */
  public record Counts(TreeMap<String, Long> byOperation, long wireNanos) {
    public Counts {
      byOperation = new TreeMap<>(byOperation);
      byOperation.values().removeIf(v -> v == 0);
    }

    /** What was sent since {@code before}. */
    public Counts minus(Counts before) {
      TreeMap<String, Long> diff = new TreeMap<>(byOperation);
      before.byOperation.forEach((k, v) -> diff.merge(k, -v, Long::sum));
      return new Counts(diff, wireNanos - before.wireNanos);
    }

    /** Requests of one operation, such as {@code DynamoDb.UpdateItem}. */
    public long of(String serviceDotOperation) {
      return byOperation.getOrDefault(serviceDotOperation, 0L);
    }

    /** Requests to one service ({@code DynamoDb}, {@code Sqs}, {@code Kms}). */
    public long service(String service) {
      return byOperation.entrySet().stream()
          .filter(e -> e.getKey().startsWith(service + "."))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    /** The operations of one service with their counts, as {@code Query 1, UpdateItem 60}. */
    public String describe(String service) {
      StringBuilder s = new StringBuilder();
      byOperation.forEach(
          (k, v) -> {
            if (k.startsWith(service + ".")) {
              if (!s.isEmpty()) {
                s.append(", ");
              }
              s.append(k.substring(service.length() + 1)).append(' ').append(v);
            }
          });
      return s.isEmpty() ? "none" : s.toString();
    }
  }
}
