package dev.nimbus.pvesim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an HTTP request into a Proxmox API answer: counts it, applies faults, authenticates (token,
 * ticket cookie with CSRF on writes), routes it, and wraps the result in Proxmox's envelope ({@code
 * {"data": ...}}) or error convention.
 */
final class ApiHandler {
  private static final String PREFIX = "/api2/json";
  private static final Pattern NODE_PATH = Pattern.compile("^/nodes/([^/]+)(/.*)?$");
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final Cluster cluster;
  private final Router router;
  private final Faults faults;
  private final RequestCounter counter;
  private final Duration authFailureDelay;

  ApiHandler(
      Cluster cluster,
      Router router,
      Faults faults,
      RequestCounter counter,
      Duration authFailureDelay) {
    this.cluster = cluster;
    this.router = router;
    this.faults = faults;
    this.counter = counter;
    this.authFailureDelay = authFailureDelay;
  }

  HttpMessages.Response handle(HttpMessages.Request request) {
    String rawPath = request.path();
    String path = rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : rawPath;
    if (path.isEmpty()) {
      path = "/";
    }
    counter.record(path);
    try {
      sleep(faults.latency());
      FaultKind pathFault = faults.pathFault(path);
      if (pathFault != null) {
        return pathFault(pathFault, request, rawPath, path);
      }
      HttpMessages.Response response = answer(request, rawPath, path);
      if (faults.injectReset(path)) {
        return response.withDelivery(HttpMessages.Delivery.RESET_MIDWAY, Duration.ZERO);
      }
      Duration slow = faults.slowDelay(path);
      if (!slow.isZero()) {
        return response.withDelivery(HttpMessages.Delivery.TRICKLE, slow);
      }
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(new ApiException(500, "interrupted"));
    }
  }

  /**
   * A per-path fault's answer. The cut bodies cut the real answer (so a reset hits a real list);
   * the others replace it without consulting the API, like a broken proxy in front of pveproxy.
   */
  private HttpMessages.Response pathFault(
      FaultKind kind, HttpMessages.Request request, String rawPath, String path)
      throws InterruptedException {
    return switch (kind) {
      case HTTP_401 -> error(new ApiException(401, "authentication failure"));
      case HTTP_500 -> error(new ApiException(500, "simulated server error"));
      case HTTP_502 -> error(new ApiException(502, "Bad Gateway"));
      case HTTP_503 -> error(new ApiException(503, "Service Unavailable"));
      case HTTP_595 ->
          error(
              new ApiException(
                  595,
                  "Errors during connection establishment, proxy handshake: No route to host"));
      case HTTP_596 -> error(new ApiException(596, "Connection timed out"));
      case RESET_MID_BODY ->
          answer(request, rawPath, path)
              .withDelivery(HttpMessages.Delivery.RESET_MIDWAY, Duration.ZERO);
      case TRUNCATED_BODY ->
          answer(request, rawPath, path)
              .withDelivery(HttpMessages.Delivery.TRUNCATED, Duration.ZERO);
      case DATA_MISSING -> raw("{}");
      case DATA_NULL -> raw("{\"data\":null}");
      case DATA_OBJECT -> raw("{\"data\":{}}");
      case DATA_STRING -> raw("{\"data\":\"simulated: not what this endpoint returns\"}");
      case HTML_BODY ->
          HttpMessages.Response.of(
              200,
              "OK",
              "text/html; charset=utf-8",
              ("<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
                      + "<body><form method=\"post\" action=\"/login\">"
                      + "<input name=\"user\"><input name=\"password\" type=\"password\">"
                      + "</form></body></html>\n")
                  .getBytes(StandardCharsets.UTF_8));
      case EMPTY_BODY -> HttpMessages.Response.json(200, "OK", new byte[0]);
      case OVERSIZED_BODY -> HttpMessages.Response.paddedList(faults.oversizedBodyBytes());
    };
  }

  private static HttpMessages.Response raw(String json) {
    return HttpMessages.Response.json(200, "OK", json.getBytes(StandardCharsets.UTF_8));
  }

  private HttpMessages.Response answer(HttpMessages.Request request, String rawPath, String path)
      throws InterruptedException {
    if (!rawPath.startsWith(PREFIX + "/") && !rawPath.equals(PREFIX)) {
      return error(new ApiException(501, "Unsupported API format or path " + rawPath));
    }
    Map<String, String> params;
    try {
      params = parameters(request);
    } catch (IllegalArgumentException e) {
      return error(new ApiException(400, "Parameter verification failed."));
    }
    String method = request.method();
    boolean ticketCall = path.equals("/access/ticket");
    AccessControl.Principal principal = null;
    if (!ticketCall) {
      try {
        principal = authenticate(request, method);
      } catch (ApiException e) {
        return error(e);
      }
    }
    Matcher m = NODE_PATH.matcher(path);
    if (m.matches() && m.group(2) != null) {
      Node node = cluster.nodes.get(m.group(1));
      if (node != null && !node.online) {
        int status = faults.offlineStatus();
        return error(
            new ApiException(
                status,
                status == 595
                    ? "Errors during connection establishment, proxy handshake: No route to host"
                    : "Connection timed out"));
      }
    }
    if (faults.injectError(path)) {
      return error(new ApiException(faults.errorStatus(), "simulated server error"));
    }
    boolean[] exists = new boolean[1];
    Router.Match match = router.match(method, path, exists);
    if (match == null) {
      return error(new ApiException(501, "Method '" + method + " " + path + "' not implemented"));
    }
    if (ticketCall) {
      if (method.equals("POST")) {
        Object result = AccessEndpoints.login(cluster, params);
        if (result == null) {
          sleep(authFailureDelay);
          return error(new ApiException(401, "authentication failure"));
        }
        return ok(result);
      }
      return ok(null);
    }
    try {
      Call call = new Call(cluster, principal, method, path, match.vars(), params);
      return ok(match.route().handler().apply(call));
    } catch (ApiException e) {
      return error(e);
    } catch (RuntimeException e) {
      return error(new ApiException(500, String.valueOf(e.getMessage())));
    }
  }

  private AccessControl.Principal authenticate(HttpMessages.Request request, String method)
      throws InterruptedException {
    String authorization = request.header("authorization");
    if (authorization != null
        && (authorization.startsWith("PVEAPIToken=") || authorization.startsWith("PVEAPIToken "))) {
      AccessControl.Principal p = cluster.access.authenticateToken(authorization);
      if (p == null) {
        sleep(authFailureDelay);
        throw new ApiException(401, "authentication failure");
      }
      return p;
    }
    String ticket = null;
    if (authorization != null && authorization.startsWith("PVEAuthCookie=")) {
      ticket = authorization.substring("PVEAuthCookie=".length());
    }
    String cookie = request.header("cookie");
    if (ticket == null && cookie != null) {
      for (String c : cookie.split(";")) {
        String t = c.trim();
        if (t.startsWith("PVEAuthCookie=")) {
          // Clients send the ticket raw or URL-encoded; raw tickets contain '+' and '/'.
          String raw = t.substring("PVEAuthCookie=".length());
          ticket = raw.contains("%") ? URLDecoder.decode(raw, StandardCharsets.UTF_8) : raw;
        }
      }
    }
    if (ticket == null) {
      throw new ApiException(401, "No ticket");
    }
    AccessControl.Principal p = cluster.access.authenticateTicket(ticket);
    if (p == null) {
      sleep(authFailureDelay);
      throw new ApiException(401, "authentication failure");
    }
    if (!method.equals("GET")) {
      String csrf = request.header("csrfpreventiontoken");
      if (csrf == null || !csrf.equals(p.csrfToken())) {
        throw new ApiException(401, "Permission denied - invalid csrf token");
      }
    }
    return p;
  }

  private static Map<String, String> parameters(HttpMessages.Request request) {
    Map<String, String> params = new LinkedHashMap<>();
    parseForm(request.query(), params);
    if (request.body().length > 0) {
      String type = request.header("content-type");
      String body = new String(request.body(), StandardCharsets.UTF_8);
      if (type != null && type.startsWith("application/json")) {
        Map<?, ?> json = JSON.readValue(body, Map.class);
        json.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
      } else {
        parseForm(body, params);
      }
    }
    return params;
  }

  private static void parseForm(String form, Map<String, String> out) {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
  }

  private HttpMessages.Response ok(Object data) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("data", data);
    return HttpMessages.Response.json(200, "OK", JSON.writeValueAsBytes(envelope));
  }

  private HttpMessages.Response error(ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", null);
    if (!e.errors().isEmpty()) {
      body.put("errors", e.errors());
    }
    if (cluster.version.hasErrorMessageField()) {
      body.put("message", e.getMessage() + "\n");
    }
    return HttpMessages.Response.json(e.status(), e.getMessage(), JSON.writeValueAsBytes(body));
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d);
    }
  }
}
