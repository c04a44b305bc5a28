package dev.nimbus.events.testing;

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

/** The event's JSON Schema from the main resources, with a validator (draft 2020-12). */
public final class ChangeEventSchema {
  public static final String SCHEMA = "schema/ci-change-event.schema.json";
  public static final String EXAMPLE = "schema/ci-change-event.example.json";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Schema COMPILED =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(JSON.readTree(resource(SCHEMA)));

  private ChangeEventSchema() {}

  /** The validation errors of a JSON document against the schema (empty when valid). */
  public static List<String> errors(String json) {
    return COMPILED.validate(JSON.readTree(json)).stream().map(Error::toString).toList();
  }

  /** A resource of the class path as text. */
  public static String resource(String name) {
    try (InputStream in = ChangeEventSchema.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
