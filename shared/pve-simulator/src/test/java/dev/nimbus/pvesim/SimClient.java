package dev.nimbus.pvesim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain test client for the simulator, independent of the project's Proxmox client: HTTPS with
 * the simulator's CA only (no trust-all), form-encoded parameters, the reason phrase kept.
 */
final class SimClient {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** An HTTP answer: status, reason phrase, parsed body. */
  record Answer(int status, String reason, JsonNode body) {
    JsonNode data() {
      return body.get("data");
    }
  }

  private final URI base;
  private final SSLContext ssl;
  private final Map<String, String> headers = new LinkedHashMap<>();

  SimClient(URI base, SSLContext ssl) {
    this.base = base;
    this.ssl = ssl;
  }

  static SimClient withToken(PveSimulator sim, ApiToken token) {
    return new SimClient(sim.baseUri(), sim.trustingSslContext())
        .header("Authorization", token.authorizationHeader());
  }

  SimClient header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Answer get(String path) {
    return call("GET", path, Map.of());
  }

  Answer get(String path, Map<String, String> params) {
    return call("GET", path, params);
  }

  Answer call(String method, String path, Map<String, String> params) {
    try {
      String form = form(params);
      boolean query = method.equals("GET") || method.equals("DELETE");
      URI uri = URI.create(base + path + (query && !form.isEmpty() ? "?" + form : ""));
      HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection();
      c.setSSLSocketFactory(ssl.getSocketFactory());
      c.setRequestMethod(method);
      c.setConnectTimeout(10_000);
      c.setReadTimeout(60_000);
      headers.forEach(c::setRequestProperty);
      if (!query) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = c.getOutputStream()) {
          out.write(form.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = c.getResponseCode();
      String reason = c.getResponseMessage();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
      if (in != null) {
        in.close();
      }
      JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
      return new Answer(status, reason, body);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    }
  }

  static String form(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&");
    params.forEach(
        (k, v) ->
            j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }
}
