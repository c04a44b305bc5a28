package dev.nimbus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.cmdb.ApplyResult;
import dev.nimbus.cmdb.CmdbService;
import dev.nimbus.cmdb.CmdbSettings;
import dev.nimbus.cmdb.InMemoryCiRepository;
import dev.nimbus.cmdb.RunRecord;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.DiscoveryScope;
import dev.nimbus.model.DiscoverySnapshot;
import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.ProxmoxClient;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.RetryPolicy;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import dev.nimbus.proxmox.provider.DiscoveryOptions;
import dev.nimbus.proxmox.provider.ProxmoxProvider;
import dev.nimbus.pvesim.ApiToken;
import dev.nimbus.pvesim.FaultKind;
import dev.nimbus.pvesim.PveSimulator;
import dev.nimbus.pvesim.PveVersion;
import dev.nimbus.pvesim.Roles;
import dev.nimbus.pvesim.SimulatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Never delete or rewrite on doubt: every endpoint a discovery run reads, broken in every way a
 * real tunnel or proxy breaks it, against the real provider and the real CMDB service. For each
 * (path, fault): nothing is deleted, no CI's content (attributes, relationships) changes, the run
 * record names what failed, and the next clean run changes nothing that was true.
 *
 * <p>The paths are not listed by hand: they are every path a clean run that reads every guest asks,
 * recorded by the simulator, with one guest of each kind standing for the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryUnderFaultsTest {
  private static final ConnectionRef LAB = new ConnectionRef("acme", "lab");

  /**
   * Small enough for the oversized-body fault to go over it, large enough for every real answer.
   */
  private static final long RESPONSE_CAP = 2L * 1024 * 1024;

  private PveSimulator sim;
  private ApiToken token;
  private DiscoverySnapshot baselineSnapshot;
  private Map<String, String> baselineHashes;
  private List<String> paths;
  private ProxmoxClient client;

  @BeforeAll
  void startAndRecordWhatACleanRunReads() {
    sim =
        PveSimulator.start(
            SimulatorConfig.demo()
                .withVersion(PveVersion.V9_1)
                .withAuthFailureDelay(Duration.ZERO));
    sim.faults().oversizedBodyBytes(RESPONSE_CAP * 2);
    // Administrator: the run also reads the cluster log (Sys.Syslog) and the guest agents.
    token = sim.createToken("discovery@pve", "faults", Roles.ADMINISTRATOR, true);
    CmdbService cmdb = cmdb(new InMemoryCiRepository());
    DiscoverySnapshot first = discover(DiscoverySnapshot.none(LAB), everyGuest());
    cmdb.apply(first);
    sim.resetRequestCounts();
    baselineSnapshot = discover(cmdb.open(LAB).previousSnapshot(), everyGuest());
    paths = representativePaths(sim.requestCounts().keySet());
    ApplyResult settled = cmdb.apply(baselineSnapshot);
    assertThat(settled.created() + settled.updated() + settled.deleted())
        .as("the cluster is settled before faults are injected")
        .isZero();
    baselineHashes = hashes(cmdb);
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  /** Guest calls are made only for the guests a run re-reads: make it re-read them all. */
  private static DiscoveryOptions optionsFor(String path) {
    return path.contains("/qemu/") || path.contains("/lxc/")
        ? everyGuest()
        : DiscoveryOptions.defaults();
  }

  private static DiscoveryOptions everyGuest() {
    return DiscoveryOptions.everyGuestEveryRun();
  }

  private static CmdbService cmdb(InMemoryCiRepository repository) {
    return new CmdbService(repository, CmdbSettings.defaults(), Clock.systemUTC());
  }

  private DiscoverySnapshot discover(DiscoverySnapshot previous, DiscoveryOptions options) {
    if (client == null) {
      client =
          ProxmoxClient.create(
              ClientSettings.builder(sim.baseUri())
                  .trust(TlsTrust.PinnedFingerprints.of(sim.fingerprint(sim.entryNode())))
                  .apiToken(token.fullId(), Secret.of(token.secret()))
                  // Retried as in production, without the production backoff's waiting.
                  .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 0))
                  .maxResponseBytes(RESPONSE_CAP)
                  .build());
    }
    return new ProxmoxProvider(client, LAB, token.fullId(), options, Clock.systemUTC())
        .discover(new DiscoveryScope.Everything(), previous);
  }

  /** One path per kind of call: the first guest of each type and node call stands for the rest. */
  private static List<String> representativePaths(Set<String> recorded) {
    Map<String, String> byShape = new TreeMap<>();
    for (String p : new TreeSet<>(recorded)) {
      String shape =
          p.replaceAll("/nodes/[^/]+", "/nodes/N")
              .replaceAll("/(qemu|lxc)/\\d+", "/$1/V")
              .replaceAll("/(vnets|groups|ipset)/[^/]+", "/$1/X");
      byShape.putIfAbsent(shape, p);
    }
    return List.copyOf(byShape.values());
  }

  private static Map<String, String> hashes(CmdbService cmdb) {
    Map<String, String> out = new TreeMap<>();
    for (var ci : cmdb.open(LAB).previousSnapshot().items()) {
      out.put(ci.nativeKey(), ci.contentHash());
    }
    return out;
  }

  @org.junit.jupiter.api.Test
  void theTableCoversEveryKindOfCallARunMakes() {
    System.out.println("fault table paths: " + paths);
    assertThat(paths)
        .contains(
            "/version",
            "/cluster/resources",
            "/cluster/status",
            "/cluster/tasks",
            "/cluster/log",
            "/nodes",
            "/storage",
            "/pools",
            "/cluster/sdn/zones",
            "/cluster/sdn/vnets",
            "/cluster/firewall/options",
            "/cluster/firewall/rules",
            "/cluster/firewall/groups",
            "/cluster/firewall/aliases",
            "/cluster/firewall/ipset")
        .anyMatch(p -> p.matches("/nodes/[^/]+/network"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/status"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/firewall/rules"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/qemu/\\d+/pending"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/qemu/\\d+/config"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/lxc/\\d+/config"))
        .anyMatch(p -> p.matches("/nodes/[^/]+/qemu/\\d+/firewall/rules"))
        .anyMatch(p -> p.matches("/cluster/sdn/vnets/[^/]+/subnets"))
        .anyMatch(p -> p.matches("/cluster/firewall/groups/[^/]+"));
  }

  private Set<String> changedKeys(Map<String, String> now) {
    Set<String> keys = new TreeSet<>(now.keySet());
    keys.addAll(baselineHashes.keySet());
    keys.removeIf(k -> java.util.Objects.equals(now.get(k), baselineHashes.get(k)));
    return keys;
  }

  Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String path : paths) {
      for (FaultKind kind : FaultKind.values()) {
        out.add(Arguments.of(path, kind));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} answers {1}")
  @MethodSource("cases")
  void aFaultyCallDeletesNothingChangesNothingAndIsNamed(String path, FaultKind kind) {
    InMemoryCiRepository repository = new InMemoryCiRepository();
    CmdbService cmdb = cmdb(repository);
    cmdb.apply(
        new DiscoverySnapshot(
            LAB,
            Instant.now().minusSeconds(60),
            baselineSnapshot.items(),
            baselineSnapshot.completeScopes(),
            baselineSnapshot.unreachableScopes(),
            Map.of(),
            List.of(),
            baselineSnapshot.providerState(),
            0));

    sim.faults().onPath(path, kind);
    DiscoverySnapshot faulty;
    RunRecord record;
    Instant started = Instant.now();
    try {
      faulty = discover(cmdb.open(LAB).previousSnapshot(), optionsFor(path));
      ApplyResult applied = cmdb.apply(faulty);
      record = RunRecord.of(faulty, applied, started, Instant.now());
      assertThat(applied.deleted()).as("deleted").isZero();
      assertThat(applied.created()).as("created").isZero();
    } catch (ProxmoxException.AuthenticationFailed e) {
      // A token revoked in the middle of a run ends it, whichever call sees it: nothing applied.
      assertThat(kind).isEqualTo(FaultKind.HTTP_401);
      record = null;
    } catch (ProxmoxException e) {
      // Only the two calls without which nothing can be said fail the run: nothing is applied.
      assertThat(path).isIn("/version", "/cluster/resources");
      record = null;
    } finally {
      sim.faults().clearPathFaults();
    }

    assertThat(changedKeys(hashes(cmdb))).as("CIs whose content changed").isEmpty();
    boolean nodeDown =
        (kind == FaultKind.HTTP_595 || kind == FaultKind.HTTP_596) && path.startsWith("/nodes/");
    for (StoredCi ci : repository.allOfConnection(LAB)) {
      if (!nodeDown) {
        assertThat(ci.status()).as(ci.nativeKey()).isNotEqualTo(CiStatus.UNREACHABLE);
      }
      assertThat(ci.status().isLive()).as(ci.nativeKey() + " live").isTrue();
    }
    if (record != null && !quietlyUnknown(path)) {
      String named = String.join(" | ", record.errors()) + " | " + record.partialScopes();
      assertThat(record.partial()).as("the run record says it is partial: " + named).isTrue();
    }

    // The next clean run restores nothing false and finds everything again.
    DiscoverySnapshot clean = discover(cmdb.open(LAB).previousSnapshot(), optionsFor(path));
    ApplyResult applied = cmdb.apply(clean);
    assertThat(applied.deleted()).isZero();
    assertThat(changedKeys(hashes(cmdb))).as("CIs changed after the next clean run").isEmpty();
    assertThat(repository.allOfConnection(LAB))
        .allSatisfy(ci -> assertThat(ci.status()).isNotEqualTo(CiStatus.UNREACHABLE));
  }

  /**
   * Calls whose failure leaves nothing to report: a guest agent that does not answer is what a
   * stopped agent looks like (the IP addresses stay as they were), and a failed permission probe is
   * simply made again next run.
   */
  private static boolean quietlyUnknown(String path) {
    return path.contains("/agent/") || path.endsWith("/interfaces") || path.startsWith("/access/");
  }
}
