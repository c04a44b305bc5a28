package dev.nimbus.wizard.api;

import dev.nimbus.model.ConnectionRef;
import dev.nimbus.wizard.WizardException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One API request after routing: the caller's tenant and name (from the verified JWT), path
 * variables, query parameters and the parsed JSON body.
 */
record Request(
    String tenantId,
    String actor,
    Map<String, String> vars,
    Map<String, String> query,
    JsonNode body) {

  /** The connection named by the path, in the caller's tenant; a bad id is simply not found. */
  ConnectionRef connection() {
    String id = vars.get("id");
    try {
      return new ConnectionRef(tenantId, id);
    } catch (IllegalArgumentException e) {
      throw WizardException.notFound("connection '" + Body.printable(id) + "'");
    }
  }

  Optional<String> param(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  Body json() {
    return new Body(body);
  }
}
