package dev.nimbus.proxmox.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.proxmox.client.ProxmoxException.AuthenticationFailed;
import dev.nimbus.proxmox.client.ProxmoxException.CertificateMismatch;
import dev.nimbus.proxmox.client.ProxmoxException.NodeUnreachable;
import dev.nimbus.proxmox.client.ProxmoxException.NotFound;
import dev.nimbus.proxmox.client.ProxmoxException.NotImplemented;
import dev.nimbus.proxmox.client.ProxmoxException.ParameterError;
import dev.nimbus.proxmox.client.ProxmoxException.PermissionDenied;
import dev.nimbus.proxmox.client.ProxmoxException.ServerError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError.Kind;
import dev.nimbus.proxmox.client.tls.FingerprintMismatchException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table of Proxmox answers and the exception each becomes. */
class ErrorClassificationTest {
  private static final String NULL_BODY = "{\"data\":null}";

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(401, "authentication failure", NULL_BODY, AuthenticationFailed.class, false),
        Arguments.of(
            403,
            "Permission check failed (/vms/100, VM.Audit)",
            NULL_BODY,
            PermissionDenied.class,
            false),
        Arguments.of(404, "Not Found", NULL_BODY, NotFound.class, false),
        Arguments.of(
            500,
            "Configuration file 'nodes/alpha/qemu-server/999.conf' does not exist",
            NULL_BODY,
            NotFound.class,
            false),
        Arguments.of(500, "storage 'nope' does not exist", NULL_BODY, NotFound.class, false),
        Arguments.of(
            400,
            "Parameter verification failed.",
            "{\"data\":null,\"errors\":{\"vmid\":\"invalid format - value does not look like a valid VM ID\\n\"}}",
            ParameterError.class,
            false),
        Arguments.of(
            501,
            "Method 'GET /cluster/metrics/export' not implemented",
            NULL_BODY,
            NotImplemented.class,
            false),
        Arguments.of(595, "Connection refused", NULL_BODY, NodeUnreachable.class, false),
        Arguments.of(596, "Connection timed out", NULL_BODY, NodeUnreachable.class, false),
        Arguments.of(599, "Too many redirections", NULL_BODY, NodeUnreachable.class, true),
        Arguments.of(500, "QEMU guest agent is not running", NULL_BODY, ServerError.class, false),
        Arguments.of(500, "got timeout", NULL_BODY, ServerError.class, true),
        Arguments.of(502, "Bad Gateway", "<html>proxy</html>", ServerError.class, true));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("answers")
  void classifiesEachProxmoxAnswerInOnePlace(
      int status,
      String reason,
      String body,
      Class<? extends ProxmoxException> expected,
      boolean retryable) {
    ProxmoxException e =
        ProxmoxErrors.fromResponse(
            "GET", "/nodes/alpha/qemu/999/config", status, reason, body, s -> s);
    assertThat(e).isInstanceOf(expected);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.getMessage()).startsWith("GET /nodes/alpha/qemu/999/config failed: " + status);
    assertThat(ProxmoxErrors.isRetryable(e)).isEqualTo(retryable);
  }

  @Test
  void namesTheMissingPathAndPrivilegeOfAPermissionError() {
    PermissionDenied e =
        (PermissionDenied)
            ProxmoxErrors.fromResponse(
                "GET",
                "/nodes/alpha/qemu/100/agent/network-get-interfaces",
                403,
                "Permission check failed (/vms/100, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)",
                NULL_BODY,
                s -> s);
    assertThat(e.aclPath()).isEqualTo("/vms/100");
    assertThat(e.privilege()).isEqualTo("VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted");
  }

  @Test
  void prefersTheBodyMessageOfNewerServers() {
    PermissionDenied e =
        (PermissionDenied)
            ProxmoxErrors.fromResponse(
                "GET",
                "/cluster/status",
                403,
                "Forbidden",
                "{\"data\":null,\"message\":\"Permission check failed (/, Sys.Audit)\\n\"}",
                s -> s);
    assertThat(e.aclPath()).isEqualTo("/");
    assertThat(e.privilege()).isEqualTo("Sys.Audit");
  }

  @Test
  void keepsPerFieldParameterErrors() {
    ParameterError e =
        (ParameterError)
            ProxmoxErrors.fromResponse(
                "POST",
                "/pools",
                400,
                "Parameter verification failed.",
                "{\"data\":null,\"errors\":{\"poolid\":\"invalid format\\n\",\"comment\":\"too long\"}}",
                s -> s);
    assertThat(e.errors())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("poolid", "invalid format", "comment", "too long"));
  }

  @Test
  void namesTheUnreachableNodeFromThePath() {
    NodeUnreachable e =
        (NodeUnreachable)
            ProxmoxErrors.fromResponse(
                "GET", "/nodes/beta/status", 595, "No route to host", NULL_BODY, s -> s);
    assertThat(e.node()).isEqualTo("beta");
  }

  static Stream<Arguments> ioFailures() {
    return Stream.of(
        Arguments.of(new SocketTimeoutException("Read timed out"), Kind.TIMEOUT, true),
        Arguments.of(new UnknownHostException("pve.invalid"), Kind.DNS, false),
        Arguments.of(new ConnectException("Connection refused"), Kind.CONNECTION_REFUSED, true),
        Arguments.of(new SocketException("Connection reset"), Kind.CONNECTION_RESET, true),
        Arguments.of(new SSLHandshakeException("PKIX path building failed"), Kind.TLS, false),
        Arguments.of(
            new IOException("Unable to tunnel through proxy. Proxy returns \"HTTP/1.1 403\""),
            Kind.PROXY,
            false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("ioFailures")
  void classifiesTransportFailuresByKind(IOException failure, Kind kind, boolean retryable) {
    ProxmoxException e =
        ProxmoxErrors.fromIOException("GET", "/version", failure, Set.of(), s -> s);
    assertThat(e).isInstanceOf(TransportError.class);
    assertThat(((TransportError) e).kind()).isEqualTo(kind);
    assertThat(e.getMessage()).startsWith("GET /version failed: " + kind);
    assertThat(ProxmoxErrors.isRetryable(e)).isEqualTo(retryable);
  }

  @Test
  void reportsAFingerprintMismatchWithExpectedAndSeenFingerprints() {
    SSLHandshakeException handshake = new SSLHandshakeException("certificate_unknown");
    handshake.initCause(new FingerprintMismatchException("AB:CD"));
    ProxmoxException e =
        ProxmoxErrors.fromIOException("GET", "/version", handshake, Set.of("12:34"), s -> s);
    assertThat(e).isInstanceOf(CertificateMismatch.class);
    assertThat(((CertificateMismatch) e).expected()).containsExactly("12:34");
    assertThat(((CertificateMismatch) e).seen()).isEqualTo("AB:CD");
    assertThat(e.getMessage()).contains("AB:CD").contains("12:34");
    assertThat(ProxmoxErrors.isRetryable(e)).isFalse();
  }
}
