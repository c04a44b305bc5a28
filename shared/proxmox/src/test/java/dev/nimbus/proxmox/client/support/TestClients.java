package dev.nimbus.proxmox.client.support;

import dev.nimbus.model.Secret;
import dev.nimbus.proxmox.client.ClientSettings;
import dev.nimbus.proxmox.client.RetryPolicy;
import dev.nimbus.proxmox.client.tls.TlsTrust;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Shared test identities and client settings. */
public final class TestClients {
  /** The token secret every test uses; it must never show up in a message or log line. */
  public static final String TOKEN_SECRET = "5f0c1e2d-3b4a-4c5d-8e9f-a0b1c2d3e4f5";

  public static final String TOKEN_ID = "discovery@pve!ro";
  public static final TestPki.Ca CA = TestPki.newCa("Proxmox Virtual Environment");
  public static final TestPki.NodeIdentity NODE = TestPki.issueNode(CA, "alpha");

  private TestClients() {}

  /** Settings pinned to {@link #NODE}, token auth, no retries, short timeouts. */
  public static ClientSettings.Builder pinned(FakePve pve) {
    return ClientSettings.builder(pve.baseUri())
        .trust(TlsTrust.PinnedFingerprints.of(NODE.fingerprint()))
        .apiToken(TOKEN_ID, Secret.of(TOKEN_SECRET))
        .retryPolicy(RetryPolicy.none())
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5));
  }

  /** A clock the test moves by hand. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
