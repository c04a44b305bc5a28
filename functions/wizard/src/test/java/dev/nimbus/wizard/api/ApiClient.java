package dev.nimbus.wizard.api;

import dev.nimbus.testing.lambda.HttpApiEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the wizard function the way API Gateway does: an HTTP API payload 2.0 event (with the JWT
 * claims its authorizer verified) through the real Lambda handler ({@code FunctionInvoker}). Keeps
 * every response body and, while {@link #captureLogs} is on, everything the JVM printed, so a test
 * can scan them for secrets.
 */
final class ApiClient implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  record Response(int status, String contentType, String body) {
    JsonNode json() {
      return body == null || body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /** The field names of a problem answer's errors. */
    List<String> fields() {
      List<String> out = new ArrayList<>();
      json().path("errors").forEach(e -> out.add(e.path("field").asString()));
      return out;
    }
  }

  private final FunctionInvoker invoker;
  private final List<String> bodies = new ArrayList<>();
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  ApiClient() {
    System.setProperty("spring.cloud.function.definition", "wizardApi");
    invoker = new FunctionInvoker();
  }

  /** From now on, everything printed to stdout and stderr is also kept. */
  synchronized void captureLogs() {
    if (originalOut != null) {
      return;
    }
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(originalOut, logs), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, logs), true, StandardCharsets.UTF_8));
  }

  synchronized String logs() {
    System.out.flush();
    System.err.flush();
    return logs.toString(StandardCharsets.UTF_8);
  }

  List<String> bodies() {
    return List.copyOf(bodies);
  }

  Response call(String tenant, String method, String path, Object body) {
    return call(
        tenant, method, path, Map.of(), body == null ? null : JSON.writeValueAsString(body));
  }

  Response call(
      String tenant, String method, String path, Map<String, String> query, String rawBody) {
    String event = HttpApiEvents.request(tenant, method, path, query, rawBody, "wizard-test");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      invoker.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode r = JSON.readTree(out.toByteArray());
    String body =
        r.path("body").isMissingNode() || r.path("body").isNull() ? "" : r.path("body").asString();
    bodies.add(body);
    Map<String, String> headers = new LinkedHashMap<>();
    r.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
    return new Response(r.path("statusCode").asInt(), headers.get("Content-Type"), body);
  }

  /**
   * Starts a preview ({@code POST /api/preview}, 202) and polls {@code GET /api/preview/{id}} until
   * it is no longer running, as the SPA does; returns the last poll. Bounded by attempts (1,200
   * polls 25 ms apart), not asserted in time.
   */
  Response previewToEnd(String tenant, Object body) {
    Response started = call(tenant, "POST", "/api/preview", body);
    if (started.status() != 202) {
      return started;
    }
    return pollPreview(tenant, started.json().path("previewId").asString());
  }

  /** Polls a started preview until it is no longer running; returns the last poll. */
  Response pollPreview(String tenant, String previewId) {
    String poll = "/api/preview/" + previewId;
    for (int i = 0; i < 1_200; i++) {
      Response r = call(tenant, "GET", poll, null);
      if (r.status() != 200 || !"running".equals(r.json().path("status").asString())) {
        return r;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the preview was still running after 1,200 polls");
  }

  @Override
  public synchronized void close() {
    if (originalOut != null) {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final ByteArrayOutputStream b;

    Tee(java.io.OutputStream a, ByteArrayOutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
