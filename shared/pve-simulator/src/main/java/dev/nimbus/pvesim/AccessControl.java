package dev.nimbus.pvesim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Users, API tokens, tickets and ACLs, evaluated the way pve-access-control does: the most specific
 * ACL path with an entry for the subject wins, pool ACLs extend to their members, and a
 * privilege-separated token gets the intersection of its user's and its own privileges. Secrets
 * (passwords, token values) are kept only as SHA-256 hashes.
 */
final class AccessControl {
  static final String ROOT = "root@pam";
  private static final long TICKET_LIFETIME_SECONDS = 2 * 3600;

  record User(String userid, byte[] passwordHash) {
    @Override
    public String toString() {
      return "User[" + userid + "]";
    }
  }

  record Token(
      String userid,
      String tokenid,
      byte[] secretHash,
      boolean privsep,
      long expire,
      String comment) {
    String fullId() {
      return userid + "!" + tokenid;
    }

    @Override
    public String toString() {
      return "Token[" + fullId() + "]";
    }
  }

  /** An authenticated caller: the user, plus the token when authenticated by token. */
  record Principal(String userid, Token token, String csrfToken) {
    String subject() {
      return token == null ? userid : token.fullId();
    }

    @Override
    public String toString() {
      return "Principal[" + subject() + "]";
    }
  }

  private record Ticket(String userid, long expires, String csrf) {}

  /** A user's details as {@code /access/users} lists them (the password hash stays inside). */
  record UserInfo(String userid, String comment, boolean totp) {}

  private final Map<String, String> comments = new ConcurrentHashMap<>();
  // userid -> Base32 TOTP secret (RFC 6238); the second factor a login must answer.
  private final Map<String, String> totpSecrets = new ConcurrentHashMap<>();
  // challenge ticket -> userid: a password login that still owes its second factor.
  private final Map<String, Long> challengeExpiry = new ConcurrentHashMap<>();
  private final Map<String, String> challenges = new ConcurrentHashMap<>();

  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final List<Acl> acls = new CopyOnWriteArrayList<>();
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> roles;
  private final Set<String> builtInRoles;
  private final SecureRandom random = new SecureRandom();
  private final java.time.Clock clock;

  AccessControl(PveVersion version, java.time.Clock clock) {
    this.roles = new java.util.concurrent.ConcurrentSkipListMap<>(Roles.builtIn(version));
    this.builtInRoles = Set.copyOf(roles.keySet());
    this.clock = clock;
  }

  Set<String> roleNames() {
    return roles.keySet();
  }

  /**
   * Adds a custom role (test setup, like {@code pveum role add}); built-in roles cannot be
   * redefined.
   */
  void addRole(String roleid, Set<String> privileges) {
    Set<String> known = roles.get(Roles.ADMINISTRATOR);
    for (String p : privileges) {
      if (!known.contains(p)) {
        throw new IllegalArgumentException("invalid privilege '" + p + "'");
      }
    }
    if (roles.putIfAbsent(roleid, Set.copyOf(privileges)) != null) {
      throw new IllegalArgumentException("role '" + roleid + "' already exists");
    }
  }

  void addUser(String userid, String password) {
    users.put(userid, new User(userid, password == null ? null : sha256(password)));
  }

  /** Adds a user (no password: token-only, like a user created for an API token). */
  boolean createUser(String userid, String comment) {
    if (hasUser(userid)) {
      return false;
    }
    addUser(userid, null);
    if (comment != null) {
      comments.put(userid, comment);
    }
    return true;
  }

  List<UserInfo> users() {
    Set<String> ids = new TreeSet<>(users.keySet());
    ids.add(ROOT);
    return ids.stream()
        .map(u -> new UserInfo(u, comments.get(u), totpSecrets.containsKey(u)))
        .toList();
  }

  /** Gives a user a TOTP second factor and returns its Base32 secret. */
  String enableTotp(String userid) {
    if (!hasUser(userid)) {
      throw new IllegalArgumentException("no user " + userid);
    }
    byte[] key = new byte[20];
    random.nextBytes(key);
    String secret = Totp.base32(key);
    totpSecrets.put(userid, secret);
    return secret;
  }

  boolean isBuiltInRole(String roleid) {
    return builtInRoles.contains(roleid);
  }

  Set<String> role(String roleid) {
    return roles.get(roleid);
  }

  /** Every privilege this version knows (the Administrator role holds them all). */
  Set<String> allPrivileges() {
    return roles.get(Roles.ADMINISTRATOR);
  }

  void putRole(String roleid, Set<String> privileges) {
    roles.put(roleid, Set.copyOf(new TreeSet<>(privileges)));
  }

  void removeAcl(Acl acl) {
    acls.removeIf(
        a ->
            a.path().equals(acl.path())
                && a.subject().equals(acl.subject())
                && a.role().equals(acl.role()));
  }

  boolean hasUser(String userid) {
    return users.containsKey(userid) || ROOT.equals(userid);
  }

  /** Creates a token and returns its secret, which is not kept in clear. */
  String createToken(String userid, String tokenid, boolean privsep, String comment) {
    if (!hasUser(userid)) {
      addUser(userid, null);
    }
    String full = userid + "!" + tokenid;
    if (tokens.containsKey(full)) {
      throw new ApiException(400, "Token already exists.");
    }
    String secret = UUID.randomUUID().toString();
    tokens.put(full, new Token(userid, tokenid, sha256(secret), privsep, 0, comment));
    return secret;
  }

  boolean deleteToken(String userid, String tokenid) {
    acls.removeIf(a -> a.subject().equals(userid + "!" + tokenid));
    return tokens.remove(userid + "!" + tokenid) != null;
  }

  Token token(String userid, String tokenid) {
    return tokens.get(userid + "!" + tokenid);
  }

  List<Token> tokensOf(String userid) {
    return tokens.values().stream()
        .filter(t -> t.userid().equals(userid))
        .sorted(java.util.Comparator.comparing(Token::tokenid))
        .toList();
  }

  void addAcl(Acl acl) {
    if (!roles.containsKey(acl.role())) {
      throw new IllegalArgumentException(
          "Unknown role " + acl.role() + "; known: " + roles.keySet());
    }
    removeAcl(acl);
    acls.add(acl);
  }

  List<Acl> acls() {
    return List.copyOf(acls);
  }

  /** Parses {@code PVEAPIToken=user@realm!name=secret} (or the space form). Null if invalid. */
  Principal authenticateToken(String header) {
    String value = header.substring("PVEAPIToken".length() + 1).trim();
    int eq = value.lastIndexOf('=');
    int bang = value.indexOf('!');
    if (eq < 0 || bang < 0 || bang > eq) {
      return null;
    }
    Token token = tokens.get(value.substring(0, eq));
    if (token == null
        || !MessageDigest.isEqual(token.secretHash(), sha256(value.substring(eq + 1)))) {
      return null;
    }
    if (token.expire() != 0 && token.expire() < clock.instant().getEpochSecond()) {
      return null;
    }
    return new Principal(token.userid(), token, null);
  }

  /**
   * Answers a TFA challenge ({@code tfa-challenge} = the challenge ticket, {@code password} =
   * {@code totp:<code>}) with a full ticket, or null when the code or challenge is wrong.
   */
  Map<String, Object> answerChallenge(String username, String challenge, String response) {
    String userid = challenges.get(challenge == null ? "" : challenge);
    Long expires = challengeExpiry.get(challenge == null ? "" : challenge);
    if (userid == null || !userid.equals(username) || expires == null || expires < now()) {
      return null;
    }
    String secret = totpSecrets.get(userid);
    String code =
        response == null ? "" : response.startsWith("totp:") ? response.substring(5) : response;
    if (secret == null || !Totp.verify(secret, code, clock.instant())) {
      return null;
    }
    challenges.remove(challenge);
    challengeExpiry.remove(challenge);
    return issueTicket(userid);
  }

  /** Checks a password (or a still valid ticket, to renew) and issues a new ticket. */
  Map<String, Object> login(String username, String password) {
    User user = users.get(username);
    boolean ok =
        user != null
            && user.passwordHash() != null
            && password != null
            && MessageDigest.isEqual(user.passwordHash(), sha256(password));
    if (!ok && password != null) {
      Ticket renewed = tickets.get(password);
      ok = renewed != null && renewed.userid().equals(username) && renewed.expires() > now();
    }
    if (!ok) {
      return null;
    }
    if (totpSecrets.containsKey(username)
        && user != null
        && password != null
        && MessageDigest.isEqual(
            user.passwordHash() == null ? new byte[0] : user.passwordHash(), sha256(password))) {
      // Like PVE 7+: a password login of a user with a second factor gets a challenge ticket
      // ("!tfa!" plus the URL-encoded factors) that is good for nothing but answering it.
      String challenge =
          "PVE:"
              + username
              + ":"
              + HexFormat.of().withUpperCase().toHexDigits((int) now())
              + "::!tfa!%7B%22totp%22%3Atrue%7D:"
              + randomText(24);
      challenges.put(challenge, username);
      challengeExpiry.put(challenge, now() + 120);
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("username", username);
      out.put("ticket", challenge);
      out.put("NeedTFA", 1);
      return out;
    }
    return issueTicket(username);
  }

  private Map<String, Object> issueTicket(String username) {
    long now = now();
    String ticket =
        "PVE:"
            + username
            + ":"
            + HexFormat.of().withUpperCase().toHexDigits((int) now)
            + "::"
            + randomText(48);
    String csrf = HexFormat.of().withUpperCase().toHexDigits((int) now) + ":" + randomText(32);
    tickets.put(ticket, new Ticket(username, now + TICKET_LIFETIME_SECONDS, csrf));
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("username", username);
    out.put("ticket", ticket);
    out.put("CSRFPreventionToken", csrf);
    return out;
  }

  Principal authenticateTicket(String ticket) {
    Ticket t = tickets.get(ticket);
    if (t == null || t.expires() < now()) {
      return null;
    }
    return new Principal(t.userid(), null, t.csrf());
  }

  /**
   * The privileges {@code principal} has on {@code path}; {@code poolOf} maps a path to its pool.
   */
  Set<String> privileges(Principal principal, String path, Function<String, String> poolOf) {
    if (ROOT.equals(principal.userid())) {
      Set<String> all = roles.get(Roles.ADMINISTRATOR);
      if (principal.token() == null || !principal.token().privsep()) {
        return all;
      }
      Set<String> out = new TreeSet<>(all);
      out.retainAll(subjectPrivileges(principal.token().fullId(), path, poolOf));
      return out;
    }
    Set<String> user = subjectPrivileges(principal.userid(), path, poolOf);
    if (principal.token() == null || !principal.token().privsep()) {
      return user;
    }
    Set<String> out = new TreeSet<>(user);
    out.retainAll(subjectPrivileges(principal.token().fullId(), path, poolOf));
    return out;
  }

  private Set<String> subjectPrivileges(
      String subject, String path, Function<String, String> poolOf) {
    Set<String> out = new TreeSet<>(evaluate(subject, path));
    String pool = poolOf.apply(path);
    if (pool != null) {
      out.addAll(evaluate(subject, "/pool/" + pool));
    }
    return out;
  }

  private Set<String> evaluate(String subject, String path) {
    List<String> prefixes = new ArrayList<>();
    prefixes.add("/");
    StringBuilder sb = new StringBuilder();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        sb.append('/').append(part);
        prefixes.add(sb.toString());
      }
    }
    Set<String> current = Set.of();
    for (String prefix : prefixes) {
      boolean exact = prefix.equals(prefixes.getLast());
      Set<String> level = null;
      for (Acl acl : acls) {
        if (acl.path().equals(prefix)
            && acl.subject().equals(subject)
            && (exact || acl.propagate())) {
          level = level == null ? new TreeSet<>() : level;
          level.addAll(roles.get(acl.role()));
        }
      }
      if (level != null) {
        current = level;
      }
    }
    return current;
  }

  /** The paths {@code /access/permissions} reports: the standard roots plus every ACL path. */
  Set<String> permissionPaths() {
    Set<String> paths =
        new LinkedHashSet<>(
            List.of("/", "/access", "/mapping", "/nodes", "/pool", "/sdn", "/storage", "/vms"));
    acls.forEach(a -> paths.add(a.path()));
    return new TreeSet<>(paths);
  }

  Map<String, Set<String>> rolesView() {
    return new TreeMap<>(roles);
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private String randomText(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
