package dev.nimbus.aws.metrics;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes {@link MetricRecord}s to stdout, where the Lambda runtime sends every line to CloudWatch
 * Logs, which extracts the metrics. The namespace is the stack's ({@code METRICS_NAMESPACE} in
 * template.yaml), so two stacks in one account do not mix their numbers and the template's alarms
 * watch their own.
 */
public final class Metrics {
  /** The variable that names the namespace; the default serves the local run and tests. */
  public static final String NAMESPACE_VARIABLE = "METRICS_NAMESPACE";

  public static final String DEFAULT_NAMESPACE = "Nimbus";

  private final String namespace;
  private final Clock clock;
  private final Supplier<PrintStream> out;

  /**
   * @param out where records go; looked up per record so a test can capture {@code System.out}
   */
  public Metrics(String namespace, Clock clock, Supplier<PrintStream> out) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Metrics to stdout under {@code namespace}. */
  public static Metrics toStdout(String namespace, Clock clock) {
    return new Metrics(namespace, clock, () -> System.out);
  }

  public String namespace() {
    return namespace;
  }

  /** A new record of this namespace, stamped now. */
  public MetricRecord record() {
    return new MetricRecord(namespace, clock.instant());
  }

  /** Writes the record as one line. */
  public void emit(MetricRecord record) {
    PrintStream stream = out.get();
    stream.println(record.toJson());
    stream.flush();
  }
}
