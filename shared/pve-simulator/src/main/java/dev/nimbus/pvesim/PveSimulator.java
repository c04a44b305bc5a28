package dev.nimbus.pvesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A Proxmox VE cluster simulated in-process: every node serves the API over HTTPS on loopback with
 * its own certificate signed by the cluster CA. Start with {@link #start(SimulatorConfig)}, talk to
 * {@link #baseUri()} with a token from {@link #createToken}, change state with {@link #admin()},
 * inject faults with {@link #faults()}, count calls with {@link #requestCount()} and TLS handshakes
 * with {@link #tlsHandshakes()}.
 */
public final class PveSimulator implements AutoCloseable {
  private final SimulatorConfig config;
  private final Cluster cluster;
  private final ClusterPki pki;
  private final Map<String, HttpsListener> listeners = new LinkedHashMap<>();
  private final Faults faults = new Faults();
  private final RequestCounter counter = new RequestCounter();
  private final Admin admin;
  private final String rootPassword;
  private final String entryNode;
  private final Map<String, Integer> certificateGenerations = new LinkedHashMap<>();
  private ApiHandler handler;
  private final Map<String, ClusterPki.RotatingKeyManager> keyManagers = new LinkedHashMap<>();

  private PveSimulator(SimulatorConfig config) throws IOException {
    this.config = config;
    this.cluster =
        new Cluster(config.version(), config.seed(), config.clusterName(), config.clock());
    config.layout().populate(cluster);
    if (cluster.nodes.isEmpty()) {
      throw new IllegalArgumentException("The layout created no nodes");
    }
    byte[] pw = new byte[18];
    new SecureRandom().nextBytes(pw);
    this.rootPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
    cluster.access.addUser(AccessControl.ROOT, rootPassword);
    this.admin = new Admin(cluster);
    faults.latency(config.latency());
    this.entryNode = cluster.nodes.keySet().iterator().next();

    pki = new ClusterPki(config.clusterName());
    X509Certificate ca = pki.caCertificate();
    cluster.pkiCa =
        new NodeCertificate(
            pki.caPem(),
            ClusterPki.fingerprint(ca),
            ca.getSubjectX500Principal().getName(),
            ca.getIssuerX500Principal().getName(),
            ca.getNotBefore().toInstant().getEpochSecond(),
            ca.getNotAfter().toInstant().getEpochSecond(),
            List.of(),
            "id-ecPublicKey",
            256);

    Router router = new Router();
    Views views = new Views(cluster);
    new ClusterEndpoints(cluster, views, entryNode).register(router);
    new GuestEndpoints(cluster, views).register(router);
    new NetworkEndpoints(cluster).register(router);
    new PoolEndpoints(cluster, views).register(router);
    new AccessEndpoints(cluster).register(router);
    handler = new ApiHandler(cluster, router, faults, counter, config.authFailureDelay());

    int index = 0;
    try {
      for (Node node : cluster.nodes.values()) {
        ClusterPki.Leaf leaf = pki.issue(node.name(), index);
        node.certificate = leaf.info();
        keyManagers.put(node.name(), leaf.keyManager());
        int port = index == 0 ? config.port() : 0;
        listeners.put(
            node.name(),
            new HttpsListener(node.name(), leaf.sslContext(), port, handler::handle, counter));
        index++;
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Builds the cluster and starts serving. */
  public static PveSimulator start(SimulatorConfig config) {
    try {
      return new PveSimulator(config);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Proxmox VE simulator", e);
    }
  }

  /** {@code https://127.0.0.1:<port>/api2/json} of the entry node. */
  public URI baseUri() {
    return baseUri(entryNode);
  }

  /** The API base URI served by a given node. */
  public URI baseUri(String node) {
    HttpsListener l = listeners.get(node);
    if (l == null) {
      throw new IllegalArgumentException("No node " + node);
    }
    return URI.create("https://127.0.0.1:" + l.port() + "/api2/json");
  }

  /** The entry node's port. */
  public int port() {
    return listeners.get(entryNode).port();
  }

  /** The entry node's name (the one {@link #baseUri()} points at). */
  public String entryNode() {
    return entryNode;
  }

  /**
   * PEM of the cluster CA (like {@code /etc/pve/pve-root-ca.pem}) that signed every node
   * certificate.
   */
  public String caCertificatePem() {
    return pki.caPem();
  }

  /**
   * Writes the CA PEM to a file, e.g. for {@code verify_ssl=} of proxmoxer or curl's {@code
   * --cacert}.
   */
  public Path writeCaCertificate(Path file) {
    try {
      Files.writeString(file, caCertificatePem());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 fingerprint of a node's leaf certificate, colon-separated upper-case hex. */
  public String fingerprint(String node) {
    return cluster.node(node).certificate.fingerprint();
  }

  /**
   * Replaces a node's certificate with a new one (new key, signed by the same CA), as {@code pvecm
   * updatecerts --force} or an expired certificate's renewal would: the node's open connections are
   * closed and new handshakes present the new certificate, {@code GET /nodes} shows the new {@code
   * ssl_fingerprint}, and clients pinned to the old fingerprint are refused. Returns the new
   * fingerprint.
   */
  public synchronized String rotateCertificate(String node) {
    Node n = cluster.node(node);
    HttpsListener old = listeners.get(node);
    if (n == null || old == null) {
      throw new IllegalArgumentException("No node " + node);
    }
    int index = new ArrayList<>(listeners.keySet()).indexOf(node);
    int generation = certificateGenerations.merge(node, 1, Integer::sum);
    ClusterPki.Leaf leaf = pki.issue(node, index, generation);
    keyManagers.get(node).switchTo(leaf.keyManager());
    // Like a restarted pveproxy: open connections end, the next handshake shows the new key.
    old.closeConnections();
    n.certificate = leaf.info();
    return leaf.info().fingerprint();
  }

  /** PEM of a node's leaf certificate. */
  public String certificatePem(String node) {
    return cluster.node(node).certificate.pem();
  }

  /** An SSL context trusting only this simulator's CA, for Java clients. */
  public SSLContext trustingSslContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("pve-root-ca", pki.caCertificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Creates a token; {@code role} is granted on {@code /} (propagating) to the user and, with
   * privilege separation, to the token as well. Returns the secret (shown once).
   */
  public ApiToken createToken(String userid, String tokenId, String role, boolean privsep) {
    List<Acl> acls = new ArrayList<>();
    if (!userid.equals(AccessControl.ROOT)) {
      acls.add(Acl.of("/", userid, role));
    }
    if (privsep) {
      acls.add(Acl.of("/", userid + "!" + tokenId, role));
    }
    return createToken(userid, tokenId, privsep, acls.toArray(Acl[]::new));
  }

  /** Creates a token with exactly the given ACL entries (for the user and/or the token). */
  public ApiToken createToken(String userid, String tokenId, boolean privsep, Acl... acls) {
    String secret = cluster.access.createToken(userid, tokenId, privsep, null);
    for (Acl acl : acls) {
      cluster.access.addAcl(acl);
    }
    return new ApiToken(userid, tokenId, secret);
  }

  /**
   * Gives a user (for example {@code root@pam}) a TOTP second factor: password logins then get a
   * challenge that {@link Totp#code} answers. Returns the Base32 secret, as an authenticator app
   * would store it.
   */
  public String enableTotp(String userid) {
    return cluster.access.enableTotp(userid);
  }

  /** The password of {@code root@pam} (random per start), for ticket logins. */
  public String rootPassword() {
    return rootPassword;
  }

  public Admin admin() {
    return admin;
  }

  public Faults faults() {
    return faults;
  }

  /** The simulated cluster, for looking up ids (nodes, guests, pools, tasks). */
  public Cluster cluster() {
    return cluster;
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Requests served so far (all nodes, including failed ones). */
  public long requestCount() {
    return counter.total();
  }

  /**
   * TLS handshakes completed so far (all nodes): one per new connection, so with keep-alive far
   * fewer than {@link #requestCount()}.
   */
  public long tlsHandshakes() {
    return counter.handshakes();
  }

  /** Requests served so far for one API path, e.g. {@code /cluster/resources}. */
  public long requestCount(String path) {
    return counter.count(path);
  }

  /** Requests per API path. */
  public Map<String, Long> requestCounts() {
    return counter.snapshot();
  }

  public void resetRequestCounts() {
    counter.reset();
  }

  @Override
  public void close() {
    listeners.values().forEach(HttpsListener::close);
  }

  @Override
  public String toString() {
    return "PveSimulator["
        + config.version().release()
        + ", "
        + cluster.nodes.size()
        + " nodes, "
        + cluster.guests.size()
        + " guests]";
  }
}
