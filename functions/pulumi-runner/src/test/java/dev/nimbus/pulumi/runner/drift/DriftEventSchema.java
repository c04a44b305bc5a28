package dev.nimbus.pulumi.runner.drift;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drift event's JSON Schema (functions/ci-events/src/main/resources/schema, put on this
 * module's test class path by its pom) with a draft 2020-12 validator.
 */
public final class DriftEventSchema {
  public static final String SCHEMA = "schema/drift-event.schema.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Schema COMPILED =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(JSON.readTree(resource(SCHEMA)));

  private DriftEventSchema() {}

  /** Validation errors of a JSON document (empty when valid). */
  public static List<String> errors(String json) {
    return COMPILED.validate(JSON.readTree(json)).stream().map(Error::toString).toList();
  }

  static String resource(String name) {
    try (InputStream in = DriftEventSchema.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
