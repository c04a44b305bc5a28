package dev.nimbus.wizard.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.connections.ConnectionNotFoundException;
import dev.nimbus.connections.FieldError;
import dev.nimbus.connections.ValidationException;
import dev.nimbus.deployments.Operation;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.SemanticType;
import dev.nimbus.usage.RateCardInput;
import dev.nimbus.wizard.CiBrowser;
import dev.nimbus.wizard.ConnectionAdmin;
import dev.nimbus.wizard.ConnectionWizard;
import dev.nimbus.wizard.Credentials;
import dev.nimbus.wizard.DeploymentDesk;
import dev.nimbus.wizard.DriftDesk;
import dev.nimbus.wizard.MintRequest;
import dev.nimbus.wizard.Target;
import dev.nimbus.wizard.UsageDesk;
import dev.nimbus.wizard.WebhookAdmin;
import dev.nimbus.wizard.WizardException;
import dev.nimbus.wizard.WizardFeature;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The wizard's HTTP API: routes an API Gateway HTTP API (payload 2.0) event, takes the tenant from
 * the JWT the authorizer verified, parses the JSON body, calls one service method and shapes the
 * answer. Every refusal is an {@code application/problem+json} answer with field errors; an
 * unexpected failure answers 500 with an id to find its log line, never its message.
 *
 * <p>Logged per request: method, route template, status, milliseconds and tenant. Never a body, a
 * header or a query value.
 */
public final class WizardApi {
  private static final Logger LOG = System.getLogger(WizardApi.class.getName());
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String PROBLEM_BASE = "https://nimbus.dev/problems/";

  private final ConnectionWizard wizard;
  private final ConnectionAdmin admin;
  private final CiBrowser cis;
  private final WebhookAdmin webhooks;
  private final Previews previews;
  private final UsageDesk usage;
  private final DeploymentDesk deployments;
  private final DriftDesk drift;
  private final String tenantClaim;
  private final Router router = new Router();

  /** The routes without start-and-poll previews (route listings in tests). */
  public WizardApi(
      ConnectionWizard wizard,
      ConnectionAdmin admin,
      CiBrowser cis,
      WebhookAdmin webhooks,
      UsageDesk usage,
      DeploymentDesk deployments,
      DriftDesk drift,
      String tenantClaim) {
    this(wizard, admin, cis, webhooks, usage, deployments, drift, tenantClaim, null);
  }

  WizardApi(
      ConnectionWizard wizard,
      ConnectionAdmin admin,
      CiBrowser cis,
      WebhookAdmin webhooks,
      UsageDesk usage,
      DeploymentDesk deployments,
      DriftDesk drift,
      String tenantClaim,
      Previews previews) {
    this.previews = previews;
    this.wizard = wizard;
    this.admin = admin;
    this.cis = cis;
    this.webhooks = webhooks;
    this.usage = usage;
    this.deployments = deployments;
    this.drift = drift;
    this.tenantClaim = tenantClaim;
    routes();
  }

  private void routes() {
    router.add("GET", "/api/features", r -> Reply.ok(features()));
    router.add("POST", "/api/probe", this::probe);
    router.add("POST", "/api/check", this::check);
    router.add("POST", "/api/mint", this::mint);
    router.add("POST", "/api/preview", this::preview);
    router.add("GET", "/api/preview/{previewId}", this::previewStatus);
    router.add("GET", "/api/connections", this::listConnections);
    router.add("POST", "/api/connections", this::createConnection);
    router.add(
        "GET", "/api/connections/{id}", r -> Reply.ok(Views.connection(admin.get(r.connection()))));
    router.add("PATCH", "/api/connections/{id}", this::updateConnection);
    router.add("DELETE", "/api/connections/{id}", this::deleteConnection);
    router.add("PUT", "/api/connections/{id}/token", this::replaceToken);
    router.add(
        "POST", "/api/connections/{id}/repin/plan", r -> Reply.ok(admin.planRepin(r.connection())));
    router.add("POST", "/api/connections/{id}/repin", this::confirmRepin);
    router.add("POST", "/api/connections/{id}/disable", r -> enable(r, false));
    router.add("POST", "/api/connections/{id}/enable", r -> enable(r, true));
    router.add("POST", "/api/connections/{id}/run", this::runNow);
    router.add("GET", "/api/connections/{id}/runs", this::runs);
    router.add("GET", "/api/connections/{id}/ci", this::ci);
    router.add("GET", "/api/connections/{id}/ci/history", this::ciHistory);
    router.add("GET", "/api/cis", this::searchCis);
    router.add("GET", "/api/webhooks", this::listWebhooks);
    router.add("POST", "/api/webhooks", this::createWebhook);
    router.add("DELETE", "/api/webhooks/{webhookId}", this::deleteWebhook);
    router.add("POST", "/api/webhooks/{webhookId}/test", this::testWebhook);
    // usage and cost (issue 14)
    router.add("GET", "/api/connections/{id}/usage", this::usageOfCi);
    router.add("GET", "/api/usage/compartment", this::usageOfCompartment);
    router.add("GET", "/api/usage/tenant", this::usageOfTenant);
    router.add("GET", "/api/usage/tag", this::usageOfTag);
    router.add("GET", "/api/connections/{id}/idle", this::idle);
    router.add("GET", "/api/connections/{id}/ratecard", this::rateCard);
    router.add("PUT", "/api/connections/{id}/ratecard", this::putRateCard);
    router.add("POST", "/api/connections/{id}/usage/sample", this::sampleNow);
    // deployments (issue 15)
    router.add("GET", "/api/programs", r -> Reply.ok(UsageViews.programs(deployments.programs())));
    router.add(
        "POST",
        "/api/connections/{id}/deployments/{program}/preview",
        r -> deploy(r, Operation.PREVIEW));
    router.add(
        "POST", "/api/connections/{id}/deployments/{program}/up", r -> deploy(r, Operation.UP));
    router.add(
        "POST",
        "/api/connections/{id}/deployments/{program}/destroy",
        r -> deploy(r, Operation.DESTROY));
    router.add("GET", "/api/connections/{id}/deployments", this::deploymentRuns);
    router.add("GET", "/api/connections/{id}/deployments/runs/{runId}", this::deploymentRun);
    // drift (issue 16)
    router.add("GET", "/api/connections/{id}/drift", this::driftList);
    router.add("POST", "/api/connections/{id}/drift/check", this::driftCheck);
  }

  /** The route templates, for the README and the tests. */
  public List<String> routeList() {
    return router.routes().stream().map(r -> r.method() + " " + r.template()).toList();
  }

  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    long start = System.nanoTime();
    String method = "?";
    String template = "(none)";
    String tenant = null;
    APIGatewayV2HTTPResponse response;
    try {
      method = method(event);
      String path = event.getRawPath() == null ? "/" : event.getRawPath();
      boolean[] pathExists = new boolean[1];
      Optional<Router.Match> match = router.match(method, path, pathExists);
      if (match.isEmpty()) {
        response =
            pathExists[0]
                ? problem(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    method + " is not served here",
                    List.of())
                : problem(404, "not-found", "Not found", "no such route", List.of());
      } else {
        template = match.get().route().template();
        tenant = tenant(event);
        if (tenant == null) {
          response =
              problem(
                  403,
                  "no-tenant",
                  "No tenant",
                  "the token carries no valid '" + tenantClaim + "' claim",
                  List.of());
        } else {
          Request request =
              new Request(
                  tenant,
                  actor(event),
                  match.get().vars(),
                  event.getQueryStringParameters() == null
                      ? Map.of()
                      : event.getQueryStringParameters(),
                  body(event));
          Reply reply = match.get().route().handler().handle(request);
          response = json(reply.status(), reply.body());
        }
      }
    } catch (WizardException e) {
      response =
          problem(
              e.kind().status(),
              e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
              e.kind().title(),
              e.getMessage(),
              e.errors());
    } catch (ValidationException e) {
      response = problem(400, "validation", "The request is not valid", e.getMessage(), e.errors());
    } catch (ConnectionNotFoundException e) {
      response = problem(404, "not-found", "Not found", "connection not found", List.of());
    } catch (RuntimeException e) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      // The exception's class only: a message could carry request data.
      String kind = e.getClass().getName();
      LOG.log(Level.ERROR, () -> "request failed unexpectedly, error id " + id + ": " + kind);
      response =
          problem(
              500, "internal", "Internal error", "unexpected failure, error id " + id, List.of());
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    String m = method;
    String t = template;
    String who = tenant;
    int status = response.getStatusCode();
    LOG.log(Level.INFO, () -> m + " " + t + " " + status + " " + ms + " ms tenant=" + who);
    return response;
  }

  // ---- routes ----

  private Reply probe(Request r) {
    Body b = r.json();
    try (Target target = Inputs.target(b, false)) {
      b.done();
      return Reply.ok(wizard.probe(target));
    }
  }

  private Reply check(Request r) {
    Body b = r.json();
    ConnectionRef ref = draftRef(r, b);
    try (Target target = Inputs.target(b, true);
        Credentials credentials = Inputs.credentials(b, "credentials")) {
      b.done();
      return Reply.ok(wizard.check(ref, target, credentials));
    }
  }

  private Reply mint(Request r) {
    Body b = r.json();
    ConnectionRef ref = draftRef(r, b);
    try (Target target = Inputs.target(b, true);
        MintRequest mint = Inputs.mint(b)) {
      b.done();
      return Reply.ok(wizard.mint(ref, target, mint));
    }
  }

  private Reply preview(Request r) {
    Body b = r.json();
    ConnectionRef ref = draftRef(r, b);
    try (Target target = Inputs.target(b, true);
        Credentials credentials = Inputs.credentials(b, "credentials")) {
      Inputs.scope(b);
      b.done();
      // Start and poll (issue 13): the preview runs in a second invocation, see Previews.
      return Reply.accepted(previews.start(ref, target, credentials, r.body()));
    }
  }

  private Reply previewStatus(Request r) {
    return Reply.ok(previews.poll(r.tenantId(), r.vars().get("previewId")));
  }

  private Reply listConnections(Request r) {
    return Reply.ok(
        Map.of("items", admin.list(r.tenantId()).stream().map(Views::connection).toList()));
  }

  private Reply createConnection(Request r) {
    Body b = r.json();
    String id = b.requiredText("connectionId", 63);
    String name = b.requiredText("name", 200);
    String schedule = b.text("schedule", 200).orElse("rate(15 minutes)");
    Target target = Inputs.target(b, true);
    Credentials credentials = Inputs.credentials(b, "credentials");
    DiscoveryScope scope = Inputs.scope(b);
    try (target;
        credentials) {
      b.done();
      return Reply.created(
          Views.connection(
              admin.create(
                  r.tenantId(),
                  new ConnectionAdmin.NewConnection(id, name, target, credentials, scope, schedule),
                  r.actor())));
    }
  }

  private Reply updateConnection(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    long version = b.requiredLong("version");
    Optional<String> name = b.text("name", 200);
    Optional<String> schedule = b.text("schedule", 200);
    Optional<DiscoveryScope> scope =
        b.has("scope") ? Optional.of(Inputs.scope(b)) : Optional.empty();
    Optional<dev.nimbus.connections.TlsTrust> tls =
        b.has("tls") ? Optional.of(Inputs.tls(b)) : Optional.empty();
    Optional<dev.nimbus.connections.Endpoint> endpoint = Optional.empty();
    Optional<Optional<dev.nimbus.connections.TunnelProxy>> proxy = Optional.empty();
    if (b.has("endpoint")) {
      try (Target t = Inputs.target(b, false)) {
        endpoint = Optional.of(t.endpoint());
        proxy = Optional.of(t.proxy());
      }
    }
    b.done();
    return Reply.ok(
        Views.connection(
            admin.update(
                ref,
                version,
                new ConnectionAdmin.SettingsChange(name, endpoint, proxy, tls, scope, schedule),
                r.actor())));
  }

  private Reply deleteConnection(Request r) {
    ConnectionRef ref = r.connection();
    long version = version(r.param("version"));
    admin.delete(ref, version, r.actor());
    return Reply.noContent();
  }

  private Reply replaceToken(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    long version = b.requiredLong("version");
    try (Credentials credentials = Inputs.credentials(b, "credentials")) {
      b.done();
      return Reply.ok(Views.connection(admin.replaceToken(ref, version, credentials, r.actor())));
    }
  }

  private Reply confirmRepin(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    long version = b.requiredLong("version");
    Map<String, String> fingerprints = Inputs.fingerprints(b);
    b.done();
    return Reply.ok(admin.confirmRepin(ref, version, fingerprints, r.actor()));
  }

  private Reply enable(Request r, boolean enabled) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    long version = b.requiredLong("version");
    b.done();
    return Reply.ok(Views.connection(admin.setEnabled(ref, version, enabled, r.actor())));
  }

  private Reply runNow(Request r) {
    String messageId = admin.runNow(r.connection());
    return Reply.accepted(Map.of("queued", true, "messageId", messageId));
  }

  private Reply runs(Request r) {
    int limit = limit(r.param("limit"), 20);
    return Reply.ok(
        Map.of("items", admin.runs(r.connection(), limit).stream().map(Views::run).toList()));
  }

  private Reply ci(Request r) {
    String key = r.param("key").orElseThrow(() -> missing("key"));
    return Reply.ok(Views.detail(cis.get(r.connection(), key)));
  }

  private Reply ciHistory(Request r) {
    String key = r.param("key").orElseThrow(() -> missing("key"));
    return Reply.ok(
        Views.history(cis.history(r.connection(), key, limit(r.param("limit"), 50), cursor(r))));
  }

  private Reply searchCis(Request r) {
    Optional<SemanticType> type = Optional.empty();
    if (r.param("type").isPresent()) {
      try {
        type = Optional.of(SemanticType.valueOf(r.param("type").get().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw WizardException.field(
            WizardException.Kind.VALIDATION,
            "type",
            "choose from " + List.of(SemanticType.values()));
      }
    }
    Optional<String> text = r.param("q");
    if (text.isPresent() && text.get().length() > 100) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION, "q", "must be at most 100 characters");
    }
    Page<StoredCi> page =
        cis.search(
            r.tenantId(),
            new CiBrowser.Query(
                type,
                r.param("connection"),
                r.param("compartment"),
                text,
                limit(r.param("limit"), 50),
                cursor(r)));
    return Reply.ok(Views.page(page));
  }

  // ---- webhooks (shared/webhooks) ----

  private Reply listWebhooks(Request r) {
    return Reply.ok(
        Map.of("items", webhooks.list(r.tenantId()).stream().map(Views::webhook).toList()));
  }

  private Reply createWebhook(Request r) {
    Body b = r.json();
    String id = b.requiredText("id", 63);
    if (id != null && !id.matches(SLUG)) {
      b.error("id", "must be lower-case letters, digits and '-', starting with a letter or digit");
    }
    String url = b.requiredText("url", 2048);
    Set<SemanticType> types = EnumSet.noneOf(SemanticType.class);
    for (String t : b.stringList("semanticTypes", 20, 40)) {
      try {
        types.add(SemanticType.valueOf(t.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        b.error("semanticTypes", "choose from " + List.of(SemanticType.values()));
      }
    }
    Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
    for (String k : b.stringList("changeKinds", 10, 40)) {
      try {
        kinds.add(ChangeKind.valueOf(k.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        b.error("changeKinds", "choose from " + List.of(ChangeKind.values()));
      }
    }
    b.done();
    WebhookAdmin.Created created = webhooks.create(r.tenantId(), id, url, types, kinds);
    Map<String, Object> out = new LinkedHashMap<>(Views.webhook(created.subscription()));
    // Shown once: only its ciphertext is stored, no later answer carries it.
    out.put("signingSecret", created.signingSecret());
    return Reply.created(out);
  }

  private Reply deleteWebhook(Request r) {
    webhooks.delete(r.tenantId(), webhookId(r));
    return Reply.noContent();
  }

  private Reply testWebhook(Request r) {
    WebhookAdmin.TestResult result = webhooks.test(r.tenantId(), webhookId(r));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("delivered", result.delivered());
    out.put("status", result.status());
    out.put("error", result.error());
    return Reply.ok(out);
  }

  private static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";

  // ---- usage and cost (shared/usage through UsageDesk) ----

  private Reply usageOfCi(Request r) {
    String key = r.param("key").orElseThrow(() -> missing("key"));
    return Reply.ok(
        UsageViews.report(
            usage.ci(
                r.connection(), key, r.param("from").orElse(null), r.param("to").orElse(null))));
  }

  private Reply usageOfCompartment(Request r) {
    // Missing parameters are reported together by the service (pool, from, to).
    String pool = r.param("pool").orElse(null);
    return Reply.ok(
        UsageViews.report(
            usage.compartment(
                r.tenantId(), pool, r.param("from").orElse(null), r.param("to").orElse(null))));
  }

  private Reply usageOfTenant(Request r) {
    return Reply.ok(
        UsageViews.report(
            usage.tenant(r.tenantId(), r.param("from").orElse(null), r.param("to").orElse(null))));
  }

  private Reply usageOfTag(Request r) {
    String tag = r.param("tag").orElse(null);
    return Reply.ok(
        UsageViews.report(
            usage.tag(
                r.tenantId(), tag, r.param("from").orElse(null), r.param("to").orElse(null))));
  }

  private Reply idle(Request r) {
    return Reply.ok(
        Map.of(
            "items",
            usage
                .idle(r.connection(), r.param("from").orElse(null), r.param("to").orElse(null))
                .stream()
                .map(UsageViews::idle)
                .toList()));
  }

  private Reply rateCard(Request r) {
    return Reply.ok(
        UsageViews.rateCard(
            usage
                .rateCard(r.connection())
                .orElseThrow(() -> WizardException.notFound("rate card"))));
  }

  private Reply putRateCard(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    RateCardInput input = Inputs.rateCard(b);
    b.done();
    UsageDesk.Saved saved = usage.putRateCard(ref, input);
    Map<String, Object> view = UsageViews.rateCard(saved.card());
    return saved.created() ? Reply.created(view) : Reply.ok(view);
  }

  private Reply sampleNow(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    String from = b.text("from", 40).orElse(null);
    String to = b.text("to", 40).orElse(null);
    b.done();
    return Reply.accepted(usage.sampleNow(ref, from, to));
  }

  // ---- deployments and drift (shared/deployments, handed to the runner) ----

  private Reply deploy(Request r, Operation operation) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    Map<String, Object> inputs = Map.of();
    String approved = null;
    String confirm = null;
    switch (operation) {
      case PREVIEW -> inputs = Inputs.programInputs(b);
      case UP -> {
        inputs = Inputs.programInputs(b);
        approved = b.requiredText("approvedPreviewRunId", 64);
      }
      case DESTROY -> confirm = b.requiredText("confirmStack", 200);
    }
    b.done();
    return Reply.accepted(
        deployments.start(
            ref,
            r.vars().get("program"),
            new DeploymentDesk.Start(operation, inputs, approved, confirm)));
  }

  private Reply deploymentRuns(Request r) {
    int limit = limit(r.param("limit"), 20);
    return Reply.ok(
        Map.of(
            "items",
            deployments.runs(r.connection(), r.param("program"), limit).stream()
                .map(UsageViews::run)
                .toList()));
  }

  private Reply deploymentRun(Request r) {
    return Reply.ok(UsageViews.run(deployments.run(r.connection(), r.vars().get("runId"))));
  }

  private Reply driftList(Request r) {
    return Reply.ok(
        Map.of(
            "items",
            drift.list(r.connection(), r.param("program")).stream()
                .map(UsageViews::drift)
                .toList()));
  }

  private Reply driftCheck(Request r) {
    Body b = r.json();
    ConnectionRef ref = r.connection();
    Optional<String> program = b.text("program", 63);
    b.done();
    return Reply.accepted(drift.check(ref, program));
  }

  /** The webhook named by the path; an id that cannot exist is simply not found. */
  private static String webhookId(Request r) {
    String id = r.vars().get("webhookId");
    if (id == null || !id.matches(SLUG)) {
      throw WizardException.notFound("webhook '" + Body.printable(id) + "'");
    }
    return id;
  }

  private static List<Map<String, Object>> features() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (WizardFeature f : WizardFeature.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature", f.name());
      m.put("label", f.label());
      m.put("purpose", f.purpose());
      m.put("privileges", f.privileges(null));
      out.add(m);
    }
    return out;
  }

  // ---- parsing helpers ----

  /** The connection a wizard step works for: the id in the body (default "draft"). */
  private static ConnectionRef draftRef(Request r, Body b) {
    String id = b.text("connectionId", 63).orElse("draft");
    try {
      return new ConnectionRef(r.tenantId(), id);
    } catch (IllegalArgumentException e) {
      b.error(
          "connectionId",
          "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
      b.done();
      throw e;
    }
  }

  private static String cursor(Request r) {
    Optional<String> c = r.param("cursor");
    if (c.isPresent() && (c.get().length() > 2000 || !c.get().matches("[A-Za-z0-9_=+/-]*"))) {
      throw WizardException.field(
          WizardException.Kind.VALIDATION, "cursor", "is not a cursor from a previous page");
    }
    return c.orElse(null);
  }

  private static int limit(Optional<String> text, int fallback) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(text.get());
      if (v >= 1 && v <= 200) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw WizardException.field(
        WizardException.Kind.VALIDATION, "limit", "must be a whole number from 1 to 200");
  }

  private static long version(Optional<String> text) {
    try {
      long v = Long.parseLong(text.orElseThrow(() -> missing("version")));
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw WizardException.field(
        WizardException.Kind.VALIDATION, "version", "must be a positive whole number");
  }

  private static WizardException missing(String param) {
    return WizardException.field(WizardException.Kind.VALIDATION, param, "is required");
  }

  private static String method(APIGatewayV2HTTPEvent e) {
    if (e.getRequestContext() != null
        && e.getRequestContext().getHttp() != null
        && e.getRequestContext().getHttp().getMethod() != null) {
      return e.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    return "GET";
  }

  private String tenant(APIGatewayV2HTTPEvent e) {
    Map<String, String> claims = claims(e);
    String t = claims.get(tenantClaim);
    return t != null && t.matches("[a-z0-9][a-z0-9-]{0,62}") ? t : null;
  }

  private static String actor(APIGatewayV2HTTPEvent e) {
    Map<String, String> claims = claims(e);
    for (String c : List.of("email", "cognito:username", "username", "sub")) {
      String v = claims.get(c);
      if (v != null
          && !v.isBlank()
          && v.length() <= 200
          && v.chars().noneMatch(Character::isISOControl)) {
        return v;
      }
    }
    return "unknown";
  }

  private static Map<String, String> claims(APIGatewayV2HTTPEvent e) {
    var ctx = e.getRequestContext();
    if (ctx == null || ctx.getAuthorizer() == null || ctx.getAuthorizer().getJwt() == null) {
      return Map.of();
    }
    Map<String, String> claims = ctx.getAuthorizer().getJwt().getClaims();
    return claims == null ? Map.of() : claims;
  }

  private static JsonNode body(APIGatewayV2HTTPEvent e) {
    String raw = e.getBody();
    if (raw == null || raw.isBlank()) {
      return JsonNodeFactory.instance.objectNode();
    }
    byte[] bytes;
    try {
      bytes =
          e.getIsBase64Encoded()
              ? Base64.getDecoder().decode(raw)
              : raw.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException ex) {
      throw WizardException.field(WizardException.Kind.VALIDATION, "body", "is not valid base64");
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new WizardException(
          WizardException.Kind.VALIDATION,
          "the body is larger than " + MAX_BODY_BYTES + " bytes",
          List.of(new FieldError("body", "must be at most " + MAX_BODY_BYTES + " bytes")));
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JacksonException ex) {
      // Jackson's message quotes the input: say only where it broke.
      throw WizardException.field(
          WizardException.Kind.VALIDATION, "body", "is not valid JSON (an object is expected)");
    }
    if (node == null || !node.isObject()) {
      throw WizardException.field(WizardException.Kind.VALIDATION, "body", "must be a JSON object");
    }
    return node;
  }

  // ---- answers ----

  static APIGatewayV2HTTPResponse json(int status, Object body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Cache-Control", "no-store");
    if (body == null) {
      return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).build();
    }
    headers.put("Content-Type", "application/json");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(JSON.writeValueAsString(body))
        .build();
  }

  static APIGatewayV2HTTPResponse problem(
      int status, String type, String title, String detail, List<FieldError> errors) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", PROBLEM_BASE + type);
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    List<Map<String, String>> fields = new ArrayList<>();
    for (FieldError f : errors) {
      fields.add(Map.of("field", f.field(), "message", f.message()));
    }
    p.put("errors", fields);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/problem+json");
    headers.put("Cache-Control", "no-store");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(JSON.writeValueAsString(p))
        .build();
  }
}
