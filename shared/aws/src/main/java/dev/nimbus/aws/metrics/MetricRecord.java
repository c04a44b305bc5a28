package dev.nimbus.aws.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One CloudWatch Embedded Metric Format record: a JSON line on stdout that CloudWatch Logs turns
 * into metrics, with no API call and no latency in the function. The dimensions and metrics are
 * top-level members with the {@code _aws} metadata naming them; properties (ids, not metrics) are
 * top-level members too, searchable in Logs Insights, but cost no metric.
 *
 * <p>Dimensions are deliberately few (the service): a tenant or connection dimension would create
 * one billed metric per tenant; they go in as properties instead.
 */
public final class MetricRecord {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** CloudWatch units used here. */
  public enum Unit {
    COUNT("Count"),
    MILLISECONDS("Milliseconds");

    private final String cloudWatchName;

    Unit(String cloudWatchName) {
      this.cloudWatchName = cloudWatchName;
    }

    public String cloudWatchName() {
      return cloudWatchName;
    }
  }

  private record Metric(String name, Unit unit, double value) {}

  private final String namespace;
  private final Instant timestamp;
  private final Map<String, String> dimensions = new LinkedHashMap<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Object> properties = new LinkedHashMap<>();

  public MetricRecord(String namespace, Instant timestamp) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A dimension of every metric of this record. */
  public MetricRecord dimension(String name, String value) {
    dimensions.put(name, Objects.requireNonNull(value, name));
    return this;
  }

  public MetricRecord count(String name, long value) {
    metrics.add(new Metric(name, Unit.COUNT, value));
    return this;
  }

  public MetricRecord milliseconds(String name, long value) {
    metrics.add(new Metric(name, Unit.MILLISECONDS, value));
    return this;
  }

  /** A searchable member that is not a metric (an id, a flag); null values are left out. */
  public MetricRecord property(String name, Object value) {
    if (value != null) {
      properties.put(name, value);
    }
    return this;
  }

  /** The record as one line of JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestamp.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", namespace);
    ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
    dimensions.keySet().forEach(dimensionSet::add);
    ArrayNode definitions = directive.putArray("Metrics");
    for (Metric m : metrics) {
      definitions.addObject().put("Name", m.name()).put("Unit", m.unit().cloudWatchName());
    }
    dimensions.forEach(root::put);
    for (Metric m : metrics) {
      if (m.value() == Math.rint(m.value())) {
        root.put(m.name(), (long) m.value());
      } else {
        root.put(m.name(), m.value());
      }
    }
    properties.forEach((name, value) -> root.set(name, JSON.valueToTree(value)));
    return JSON.writeValueAsString(root);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
