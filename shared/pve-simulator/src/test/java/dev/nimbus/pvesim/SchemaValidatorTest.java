package dev.nimbus.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SchemaValidatorTest {
  private static final JsonNode SCHEMA =
      SimClient.JSON.readTree(
          """
          {"type":"array","items":{"type":"object","properties":{
            "id":{"type":"string"},
            "status":{"type":"string","enum":["online","offline"],"optional":1},
            "maxcpu":{"type":"integer","optional":1},
            "shared":{"type":"boolean","optional":1},
            "net[n]":{"type":"string","optional":1}}}}
          """);

  @Test
  void aConformingAnswerHasNoErrorsAndProxmoxBooleansMayBeZeroOrOne() {
    JsonNode value =
        SimClient.JSON.readTree(
            "[{\"id\":\"node/pve1\",\"status\":\"online\",\"maxcpu\":8,\"shared\":1,\"net0\":\"x\"}]");
    assertThat(SchemaValidator.validate(value, SCHEMA)).isEmpty();
  }

  @Test
  void missingRequiredFieldsWrongTypesBadEnumsAndBadIndexedKeysAreReported() {
    JsonNode value =
        SimClient.JSON.readTree(
            "[{\"status\":\"sleeping\",\"maxcpu\":\"8\",\"shared\":2,\"net1\":5}]");
    assertThat(SchemaValidator.validate(value, SCHEMA))
        .anyMatch(e -> e.contains(".id: required property missing"))
        .anyMatch(e -> e.contains("not in enum"))
        .anyMatch(e -> e.contains("maxcpu: expected integer"))
        .anyMatch(e -> e.contains("shared: expected boolean"))
        .anyMatch(e -> e.contains("net1: expected string"));
  }

  @Test
  void propertiesOutsideAClosedSchemaAreReported() {
    JsonNode closed =
        SimClient.JSON.readTree(
            "{\"type\":\"object\",\"additionalProperties\":0,\"properties\":{\"a\":{\"type\":\"string\"}}}");
    assertThat(SchemaValidator.validate(SimClient.JSON.readTree("{\"a\":\"x\",\"b\":1}"), closed))
        .containsExactly("data.b: property not allowed by the schema");
  }
}
