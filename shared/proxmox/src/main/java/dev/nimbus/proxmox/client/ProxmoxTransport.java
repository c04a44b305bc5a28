package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.InvalidResponse;
import dev.nimbus.proxmox.client.ProxmoxException.TfaRequired;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.model.Lenient;
import dev.nimbus.proxmox.client.tls.TlsContexts;
import dev.nimbus.proxmox.client.tls.TlsContexts.TlsSetup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

  private final ClientSettings settings;
  private final Clock clock;
  private final TlsSetup tls;
  private final Proxy proxy;
  private final Semaphore permits;
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
    this.permits = new Semaphore(settings.maxConcurrentRequests(), true);
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
    try {
      if (!permits.tryAcquire(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
        throw ProxmoxErrors.deadlineExceeded(method, path, "no connection slot before deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProxmoxErrors.deadlineExceeded(method, path, "interrupted waiting for a slot");
    }
    long started = System.nanoTime();
    int status = 0;
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
      if (c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls.socketFactory());
        if (tls.hostnameVerifier() != null) {
          https.setHostnameVerifier(tls.hostnameVerifier());
        }
      }
      c.setConnectTimeout(timeoutMillis(settings.connectTimeout(), deadline));
      c.setReadTimeout(timeoutMillis(settings.readTimeout(), deadline));
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
      status = c.getResponseCode();
      String reason = c.getResponseMessage();
      String text = readBody(status >= 400 ? c.getErrorStream() : c.getInputStream());
      int logged = status;
      LOG.log(
          Level.DEBUG,
          () ->
              method
                  + " "
                  + path
                  + " -> "
                  + logged
                  + " in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
      if (status < 200 || status >= 300) {
        throw ProxmoxErrors.fromResponse(method, path, status, reason, text, redactor);
      }
      String contentType = c.getContentType();
      if (text.isBlank()) {
        throw ProxmoxErrors.notAnEnvelope(method, path, status, "empty", contentType, null);
      }
      JsonNode root;
      try {
        root = JSON.readTree(text);
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
      if (deadline.isExpired()) {
        throw ProxmoxErrors.deadlineExceeded(method, path, "the run's deadline passed mid-call");
      }
      ProxmoxException classified =
          ProxmoxErrors.fromIOException(method, path, e, settings.trust().pinned(), redactor);
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
      permits.release();
    }
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

  private static int timeoutMillis(Duration configured, Deadline deadline) {
    long millis = Math.min(configured.toMillis(), deadline.remaining().toMillis());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  private static String readBody(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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
