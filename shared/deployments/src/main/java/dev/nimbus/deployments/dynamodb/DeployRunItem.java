package dev.nimbus.deployments.dynamodb;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Storage shape of a deployment run ({@code itemType} DEPLOY_RUN, PK {@code CONN#t#c}, SK {@code
 * DEPLOY#<runId>}; run ids start with the start time, so the SK sorts by time). Inputs and steps
 * are JSON text (engine outputs are arbitrary JSON; text keeps their types exactly and costs no
 * per-key overhead); {@code expiresAt} lets the table's TTL remove old runs.
 */
@DynamoDbImmutable(builder = DeployRunItem.Builder.class)
public record DeployRunItem(
    @DynamoDbPartitionKey @DynamoDbAttribute("PK") String pk,
    @DynamoDbSortKey @DynamoDbAttribute("SK") String sk,
    String itemType,
    String tenantId,
    String connectionId,
    String runId,
    String program,
    String stack,
    String operation,
    String status,
    Instant startedAt,
    Instant finishedAt,
    String inputs,
    String inputsHash,
    String steps,
    Map<String, Integer> summary,
    List<String> errors,
    Map<String, String> linkedCis,
    Long expiresAt) {

  public static Builder builder() {
    return new Builder();
  }

  /** The builder the Enhanced Client needs for an immutable item. */
  public static final class Builder {
    private String pk;
    private String sk;
    private String itemType;
    private String tenantId;
    private String connectionId;
    private String runId;
    private String program;
    private String stack;
    private String operation;
    private String status;
    private Instant startedAt;
    private Instant finishedAt;
    private String inputs;
    private String inputsHash;
    private String steps;
    private Map<String, Integer> summary;
    private List<String> errors;
    private Map<String, String> linkedCis;
    private Long expiresAt;

    public Builder pk(String v) {
      pk = v;
      return this;
    }

    public Builder sk(String v) {
      sk = v;
      return this;
    }

    public Builder itemType(String v) {
      itemType = v;
      return this;
    }

    public Builder tenantId(String v) {
      tenantId = v;
      return this;
    }

    public Builder connectionId(String v) {
      connectionId = v;
      return this;
    }

    public Builder runId(String v) {
      runId = v;
      return this;
    }

    public Builder program(String v) {
      program = v;
      return this;
    }

    public Builder stack(String v) {
      stack = v;
      return this;
    }

    public Builder operation(String v) {
      operation = v;
      return this;
    }

    public Builder status(String v) {
      status = v;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder finishedAt(Instant v) {
      finishedAt = v;
      return this;
    }

    public Builder inputs(String v) {
      inputs = v;
      return this;
    }

    public Builder inputsHash(String v) {
      inputsHash = v;
      return this;
    }

    public Builder steps(String v) {
      steps = v;
      return this;
    }

    public Builder summary(Map<String, Integer> v) {
      summary = v;
      return this;
    }

    public Builder errors(List<String> v) {
      errors = v;
      return this;
    }

    public Builder linkedCis(Map<String, String> v) {
      linkedCis = v;
      return this;
    }

    public Builder expiresAt(Long v) {
      expiresAt = v;
      return this;
    }

    public DeployRunItem build() {
      return new DeployRunItem(
          pk,
          sk,
          itemType,
          tenantId,
          connectionId,
          runId,
          program,
          stack,
          operation,
          status,
          startedAt,
          finishedAt,
          inputs,
          inputsHash,
          steps,
          summary,
          errors,
          linkedCis,
          expiresAt);
    }
  }
}
