package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.ProxmoxException.TfaRequired;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.model.Lenient;
import dev.nimbus.proxmox.client.tls.TlsContexts;
import dev.nimbus.proxmox.client.tls.TlsContexts.TlsSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP layer of the client: authentication, TLS, proxy, timeouts, bounded concurrency, retries
 * and error classification. Built on {@link HttpURLConnection} because, unlike {@code
 * java.net.http.HttpClient}, it speaks SOCKS5 as well as HTTP CONNECT, takes a TLS socket factory
 * and host name verifier per connection, and pools keep-alive connections per (host, proxy, socket
 * factory). Thread-safe: one instance serves every thread of a discovery run.
 */
final class ProxmoxTransport {
  private static final System.Logger LOG = System.getLogger("dev.nimbus.proxmox.client");
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Tickets live 2 hours; renew well before that, as the PVE web UI does. */
  static final Duration TICKET_RENEW_AFTER = Duration.ofMinutes(60);

  static final Duration TICKET_LIFETIME = Duration.ofHours(2);

  /** An error body is read only for its message: 64 KiB is plenty, the rest is dropped. */
  static final int ERROR_BODY_LIMIT = 64 * 1024;

  /** Ends calls that pass their whole-call limit; one daemon thread for every client. */
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "proxmox-call-watchdog");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private final ClientSettings settings;
  private final Clock clock;
  private final TlsSetup tls;
  private final Proxy proxy;
  private final ConnectionLanes lanes;
  private final AtomicLong totalCalls = new AtomicLong();
  private final Redactor redactor = new Redactor();
  private final Object ticketLock = new Object();
  private volatile TicketSession ticket;

  /** A ticket session: the ticket and CSRF token are secrets like the password. */
  private record TicketSession(String username, Secret ticket, Secret csrf, Instant issuedAt) {}

  ProxmoxTransport(ClientSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.tls = TlsContexts.forTrust(settings.trust());
    this.proxy = settings.proxy() == null ? null : settings.proxy().toProxy();
    this.lanes = new ConnectionLanes(tls.socketFactory(), settings.maxConcurrentRequests());
    settings.extraHeaders().values().forEach(redactor::add);
    if (settings.credentials() instanceof Credentials.ApiToken token) {
      redactor.add(token.secret());
    }
  }

  Clock clock() {
    return clock;
  }

  long totalCalls() {
    return totalCalls.get();
  }

  /**
   * Sends one API call and returns the whole JSON envelope. GETs are retried on transient failures;
   * writes never are.
   */
  JsonNode send(
      String method,
      String path,
      Map<String, String> params,
      Deadline deadline,
      AtomicLong viewCalls) {
    boolean idempotent = method.equals("GET");
    RetryPolicy policy = settings.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      try {
        renewTicketIfDue(deadline, viewCalls);
        return once(method, path, params, deadline, viewCalls, true);
      } catch (ProxmoxException e) {
        if (!idempotent || attempt >= policy.maxAttempts() || !ProxmoxErrors.isRetryable(e)) {
          throw e;
        }
        Duration delay = policy.backoff(attempt);
        if (deadline.remaining().compareTo(delay) <= 0) {
          throw e;
        }
        int next = attempt + 1;
        LOG.log(
            Level.DEBUG,
            () -> method + " " + path + " retry " + next + " in " + delay.toMillis() + " ms");
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Logs in with user name and password (and a second factor if one is needed and given). */
  void login(
      String username, Secret password, Secret otp, Deadline deadline, AtomicLong viewCalls) {
    redactor.add(password);
    if (otp != null) {
      redactor.add(otp);
    }
    try {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("username", username);
      form.put("password", password.reveal());
      JsonNode data = once("POST", "/access/ticket", form, deadline, viewCalls, false).get("data");
      String first = Lenient.text(data, "ticket");
      if (Lenient.bool(data, "NeedTFA") || (first != null && first.contains("!tfa!"))) {
        Secret challenge = Secret.of(first);
        redactor.add(challenge);
        if (otp == null) {
          throw new TfaRequired("POST", "/access/ticket", tfaFactors(first));
        }
        // PVE 7+: answer the challenge with "<type>:<code>" (a bare code is taken as TOTP).
        String code = otp.reveal();
        Map<String, String> second = new LinkedHashMap<>();
        second.put("username", username);
        second.put("tfa-challenge", challenge.reveal());
        second.put("password", code.contains(":") ? code : "totp:" + code);
        data = once("POST", "/access/ticket", second, deadline, viewCalls, false).get("data");
      }
      adoptTicket(data);
    } finally {
      redactor.remove(password);
      if (otp != null) {
        redactor.remove(otp);
      }
    }
  }

  private void adoptTicket(JsonNode data) {
    String ticketText = Lenient.text(data, "ticket");
    String csrfText = Lenient.text(data, "CSRFPreventionToken");
    if (ticketText == null || ticketText.isBlank()) {
      throw new InvalidResponse("POST", "/access/ticket", 200, "no ticket in login answer", null);
    }
    Secret newTicket = Secret.of(ticketText);
    Secret newCsrf = csrfText == null || csrfText.isBlank() ? null : Secret.of(csrfText);
    redactor.add(newTicket);
    if (newCsrf != null) {
      redactor.add(newCsrf);
    }
    String user = Lenient.text(data, "username");
    TicketSession previous = ticket;
    ticket =
        new TicketSession(
            user != null ? user : previous == null ? null : previous.username(),
            newTicket,
            newCsrf,
            clock.instant());
    // The old ticket stays in the redactor: it may still appear in late error texts.
  }

  /** Renews the ticket by posting it as the password, once it is an hour old. */
  private void renewTicketIfDue(Deadline deadline, AtomicLong viewCalls) {
    TicketSession current = ticket;
    if (current == null) {
      return;
    }
    Duration age = Duration.between(current.issuedAt(), clock.instant());
    if (age.compareTo(TICKET_RENEW_AFTER) < 0) {
      return;
    }
    synchronized (ticketLock) {
      current = ticket;
      age = Duration.between(current.issuedAt(), clock.instant());
      if (age.compareTo(TICKET_RENEW_AFTER) < 0) {
        return;
      }
      if (age.compareTo(TICKET_LIFETIME) >= 0) {
        throw new AuthenticationFailed(
            "POST", "/access/ticket", 0, "ticket expired after 2 hours; log in again");
      }
      Map<String, String> form = new LinkedHashMap<>();
      form.put("username", current.username());
      form.put("password", current.ticket().reveal());
      JsonNode data = once("POST", "/access/ticket", form, deadline, viewCalls, false).get("data");
      adoptTicket(data);
      LOG.log(Level.DEBUG, "renewed Proxmox ticket");
    }
  }

  private JsonNode once(
      String method,
      String path,
      Map<String, String> params,
      Deadline deadline,
      AtomicLong viewCalls,
      boolean authenticate) {
    if (deadline.isExpired()) {
      throw ProxmoxErrors.deadlineExceeded(method, path, "the run's deadline has passed");
    }
    ConnectionLanes.Slot slot;
    try {
      slot = lanes.acquire(deadline.remaining());
      if (slot == null) {
        throw ProxmoxErrors.deadlineExceeded(method, path, "no connection slot before deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProxmoxErrors.deadlineExceeded(method, path, "interrupted waiting for a slot");
    }
    long started = System.nanoTime();
    // The whole attempt (connect, TLS, request, headers, every body byte) ends at this instant.
    long limitMillis =
        Math.max(1, Math.min(settings.callTimeout().toMillis(), deadline.remaining().toMillis()));
    long endNanos = started + limitMillis * 1_000_000;
    AtomicBoolean aborted = new AtomicBoolean();
    ScheduledFuture<?> watchdog = null;
    try {
      totalCalls.incrementAndGet();
      if (viewCalls != null) {
        viewCalls.incrementAndGet();
      }
      boolean hasBody = method.equals("POST") || method.equals("PUT");
      String encoded = encodeForm(params);
      String url = settings.apiRoot() + path;
      if (!hasBody && !encoded.isEmpty()) {
        url += "?" + encoded;
      }
      HttpURLConnection c =
          (HttpURLConnection)
              (proxy == null
                  ? URI.create(url).toURL().openConnection()
                  : URI.create(url).toURL().openConnection(proxy));
      // readTimeout only bounds each read; a body trickled a few bytes at a time never trips it.
      // The watchdog closes the connection at the call's limit, which unblocks any read.
      watchdog =
          WATCHDOG.scheduleWithFixedDelay(
              () -> {
                aborted.set(true);
                c.disconnect();
              },
              limitMillis,
              100,
              TimeUnit.MILLISECONDS);
      if (c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(slot.socketFactory());
        if (tls.hostnameVerifier() != null) {
          https.setHostnameVerifier(tls.hostnameVerifier());
        }
      }
      c.setConnectTimeout(timeoutMillis(settings.connectTimeout(), limitMillis));
      c.setReadTimeout(timeoutMillis(settings.readTimeout(), limitMillis));
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json");
      c.setRequestProperty("User-Agent", "nimbus-proxmox-client");
      settings.extraHeaders().forEach((name, value) -> c.setRequestProperty(name, value.reveal()));
      if (authenticate) {
        applyAuth(c, method);
      }
      if (hasBody) {
        byte[] body = encoded.getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        // Streaming mode also stops HttpURLConnection from silently re-sending a POST.
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int status = c.getResponseCode();
      String reason = c.getResponseMessage();
      boolean success = status >= 200 && status < 300;
      long announced = c.getContentLengthLong();
      if (success && announced > settings.maxResponseBytes()) {
        // Refuse before reading a byte; dropping the connection beats draining it.
        c.disconnect();
        throw ProxmoxErrors.tooLarge(method, path, status, settings.maxResponseBytes(), announced);
      }
      byte[] bytes =
          readBody(
              c,
              status >= 400 ? c.getErrorStream() : c.getInputStream(),
              success ? settings.maxResponseBytes() : ERROR_BODY_LIMIT,
              success,
              announced,
              endNanos,
              limitMillis,
              deadline,
              method,
              path,
              status);
      LOG.log(
          Level.DEBUG,
          () ->
              method
                  + " "
                  + path
                  + " -> "
                  + status
                  + " in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
      if (!success) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        throw ProxmoxErrors.fromResponse(method, path, status, reason, text, redactor);
      }
      String contentType = c.getContentType();
      if (isBlank(bytes)) {
        throw ProxmoxErrors.notAnEnvelope(method, path, status, "empty", contentType, null);
      }
      JsonNode root;
      try {
        root = JSON.readTree(bytes);
      } catch (JacksonException e) {
        // The parser's message quotes the body; keep only that it failed.
        throw ProxmoxErrors.notAnEnvelope(method, path, status, "not JSON", contentType, null);
      }
      if (root == null || !root.isObject() || !root.has("data")) {
        throw ProxmoxErrors.notAnEnvelope(
            method, path, status, "not a {\"data\": ...} envelope", contentType, null);
      }
      return root;
    } catch (IOException e) {
      ProxmoxException classified;
      if (deadline.isExpired()) {
        classified =
            ProxmoxErrors.deadlineExceeded(method, path, "the run's deadline passed mid-call");
      } else if (aborted.get() || System.nanoTime() - endNanos >= 0) {
        classified = ProxmoxErrors.callTimedOut(method, path, limitMillis);
      } else if (e instanceof BodyCut cut) {
        classified = ProxmoxErrors.truncated(method, path, cut.received, cut.announced, cut);
      } else {
        classified =
            ProxmoxErrors.fromIOException(method, path, e, settings.trust().pinned(), redactor);
      }
      LOG.log(
          Level.DEBUG,
          () ->
              method
                  + " "
                  + path
                  + " -> "
                  + (classified instanceof TransportError t ? t.kind() : "certificate mismatch")
                  + " in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
      throw classified;
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      lanes.release(slot);
    }
  }

  /**
   * The body ended before its Content-Length, without a reset (the peer closed the connection
   * early). Carries what arrived, for the message.
   */
  private static final class BodyCut extends IOException {
    final long received;
    final long announced;

    BodyCut(long received, long announced, IOException cause) {
      super("body ended early", cause);
      this.received = received;
      this.announced = announced;
    }
  }

  /**
   * Reads a body up to {@code limit} bytes and until the call's end. A success body over the limit
   * fails the call; an error body is only needed for its message, so it is cut at the limit.
   */
  private static byte[] readBody(
      HttpURLConnection c,
      InputStream in,
      long limit,
      boolean success,
      long announced,
      long endNanos,
      long limitMillis,
      Deadline deadline,
      String method,
      String path,
      int status)
      throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      int initial = (int) Math.min(announced > 0 ? announced : 8192, Math.min(limit, 1 << 20));
      ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
      byte[] buffer = new byte[16 * 1024];
      long total = 0;
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException timeout) {
          throw timeout;
        } catch (IOException e) {
          if (isReset(e)) {
            throw e;
          }
          // Premature EOF of a fixed-length or chunked body: the connection closed early.
          throw new BodyCut(total, announced, e);
        }
        if (n < 0) {
          break;
        }
        total += n;
        if (total > limit) {
          c.disconnect();
          if (success) {
            throw ProxmoxErrors.tooLarge(method, path, status, limit, -1);
          }
          out.write(buffer, 0, n - (int) (total - limit));
          break;
        }
        out.write(buffer, 0, n);
        if (System.nanoTime() - endNanos >= 0) {
          c.disconnect();
          throw deadline.isExpired()
              ? ProxmoxErrors.deadlineExceeded(method, path, "the run's deadline passed mid-body")
              : ProxmoxErrors.callTimedOut(method, path, limitMillis);
        }
      }
      if (announced >= 0 && total < announced && total <= limit) {
        throw new BodyCut(total, announced, null);
      }
      return out.toByteArray();
    }
  }

  private static boolean isReset(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return e instanceof SocketException && message.contains("reset");
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private void applyAuth(HttpURLConnection c, String method) {
    switch (settings.credentials()) {
      case Credentials.ApiToken token ->
          c.setRequestProperty(
              "Authorization", "PVEAPIToken=" + token.tokenId() + "=" + token.secret().reveal());
      case Credentials.None none -> {
        TicketSession session = ticket;
        if (session != null) {
          c.setRequestProperty("Cookie", "PVEAuthCookie=" + session.ticket().reveal());
          if (!method.equals("GET") && session.csrf() != null) {
            // Proxmox rejects ticket-authenticated writes without the CSRF token.
            c.setRequestProperty("CSRFPreventionToken", session.csrf().reveal());
          }
        }
      }
    }
  }

  private static int timeoutMillis(Duration configured, long limitMillis) {
    long millis = Math.min(configured.toMillis(), limitMillis);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  static String encodeForm(Map<String, String> params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (v == null) {
            return;
          }
          if (!out.isEmpty()) {
            out.append('&');
          }
          out.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return out.toString();
  }

  /**
   * Best effort: a PVE 7+ TFA challenge ticket is {@code PVE:!tfa!<url-encoded JSON>:...}; the JSON
   * names the factors the user has.
   */
  private static Set<String> tfaFactors(String challengeTicket) {
    Set<String> out = new LinkedHashSet<>();
    try {
      int start = challengeTicket.indexOf("!tfa!");
      int end = challengeTicket.indexOf(':', start + 5);
      String json =
          URLDecoder.decode(
              challengeTicket.substring(start + 5, end < 0 ? challengeTicket.length() : end),
              StandardCharsets.UTF_8);
      JsonNode node = JSON.readTree(json);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode v = e.getValue();
        boolean present =
            !(v.isNull()
                || (v.isBoolean() && !v.booleanValue())
                || (v.isArray() && v.isEmpty())
                || (v.isString() && v.asString().isEmpty()));
        if (present) {
          out.add(e.getKey());
        }
      }
    } catch (RuntimeException e) {
      // Unknown challenge format: report TFA without naming factors.
    }
    return out;
  }
}
