package dev.nimbus.wizard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small explicit router: method plus path template ({@code /api/connections/{id}/runs}), each
 * {@code {name}} matching one non-empty segment. Routes are tried in registration order.
 */
final class Router {
  /** What a route does with a parsed request. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Request request);
  }

  record Route(String method, String template, String[] segments, Handler handler) {}

  /** A matched route and its path variables. */
  record Match(Route route, Map<String, String> vars) {}

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
  }

  /**
   * The route for {@code method} and {@code path}; empty when no template matches. {@code
   * pathExists} is set when a template matched with another method (405 rather than 404).
   */
  Optional<Match> match(String method, String path, boolean[] pathExists) {
    String[] parts = split(path);
    for (Route r : routes) {
      Map<String, String> vars = vars(r.segments(), parts);
      if (vars == null) {
        continue;
      }
      if (r.method().equals(method)) {
        return Optional.of(new Match(r, vars));
      }
      pathExists[0] = true;
    }
    return Optional.empty();
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  private static Map<String, String> vars(String[] template, String[] parts) {
    if (template.length != parts.length) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        vars.put(t.substring(1, t.length() - 1), parts[i]);
      } else if (!t.equals(parts[i])) {
        return null;
      }
    }
    return vars;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }
}
