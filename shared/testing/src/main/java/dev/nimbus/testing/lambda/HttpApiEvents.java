package dev.nimbus.testing.lambda;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * API Gateway HTTP API events (payload format 2.0) as the wizard function receives them behind the
 * template's JWT authorizer: method, path, query, a JSON body and the caller's claims ({@code
 * custom:tenant}, email, subject) under {@code requestContext.authorizer.jwt.claims}. The wizard's
 * tests, the bad-input campaign and the table-fault scenario send their requests through this one
 * shape, so a change to what API Gateway sends is made once.
 */
public final class HttpApiEvents {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HttpApiEvents() {}

  /**
   * The event of one request as JSON.
   *
   * @param tenant the tenant claim; null for a request without a token (the authorizer would have
   *     refused it; the function must too)
   * @param query the query string parameters, in order; empty for none
   * @param body the raw request body; null for none
   * @param userAgent who sends it, for the function's logs
   */
  public static String request(
      String tenant,
      String method,
      String path,
      Map<String, String> query,
      String body,
      String userAgent) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    StringBuilder qs = new StringBuilder();
    query.forEach((k, v) -> qs.append(qs.isEmpty() ? "" : "&").append(k).append('=').append(v));
    event.put("rawQueryString", qs.toString());
    event.putObject("headers").put("content-type", "application/json");
    if (!query.isEmpty()) {
      ObjectNode q = event.putObject("queryStringParameters");
      query.forEach(q::put);
    }
    ObjectNode ctx = event.putObject("requestContext");
    ctx.put("accountId", "123456789012");
    ctx.put("apiId", "wizardapi");
    ctx.put("domainName", "wizardapi.execute-api.eu-west-1.amazonaws.com");
    ctx.put("requestId", "req-" + System.nanoTime());
    ctx.put("routeKey", "$default");
    ctx.put("stage", "$default");
    ctx.put("timeEpoch", System.currentTimeMillis());
    ObjectNode http = ctx.putObject("http");
    http.put("method", method);
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "203.0.113.9");
    http.put("userAgent", userAgent);
    if (tenant != null) {
      ObjectNode claims = ctx.putObject("authorizer").putObject("jwt").putObject("claims");
      claims.put("custom:tenant", tenant);
      claims.put("email", "ann@" + tenant + ".test");
      claims.put("sub", "user-" + tenant);
    }
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", false);
    return JSON.writeValueAsString(event);
  }
}
