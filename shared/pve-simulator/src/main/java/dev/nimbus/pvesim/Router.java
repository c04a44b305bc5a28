package dev.nimbus.pvesim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Maps {@code METHOD /path/{var}} templates to handlers. */
final class Router {
  record Route(String method, String[] segments, Function<Call, Object> handler) {}

  record Match(Route route, Map<String, String> vars) {}

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String template, Function<Call, Object> handler) {
    routes.add(new Route(method, split(template), handler));
  }

  void get(String template, Function<Call, Object> handler) {
    add("GET", template, handler);
  }

  /** The matching route, or null; {@code pathExists} tells whether any method matched the path. */
  Match match(String method, String path, boolean[] pathExists) {
    String[] parts = split(path);
    for (int i = 0; i < parts.length; i++) {
      parts[i] =
          java.net.URLDecoder.decode(
              parts[i].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (Route r : routes) {
      Map<String, String> vars = matchSegments(r.segments(), parts);
      if (vars != null) {
        pathExists[0] = true;
        if (r.method().equals(method)) {
          return new Match(r, vars);
        }
      }
    }
    return null;
  }

  private static Map<String, String> matchSegments(String[] template, String[] parts) {
    if (template.length != parts.length) {
      return null;
    }
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{")) {
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
    return p.isEmpty() ? new String[0] : p.split("/");
  }
}
