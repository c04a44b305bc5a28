package dev.nimbus.wizard;

import dev.nimbus.connections.FieldError;
import dev.nimbus.proxmox.client.ProxmoxException;
import dev.nimbus.proxmox.client.ProxmoxException.TransportError;
import java.util.List;

/**
 * Turns a classified Proxmox failure ({@code ProxmoxErrors} did the classifying) into the field a
 * wizard user must fix. The client's messages already carry no secret; these add none.
 */
final class ProxmoxFailures {
  private ProxmoxFailures() {}

  /**
   * @param credentialField where a refused login or token is reported ({@code credentials} or
   *     {@code login})
   */
  static WizardException toWizard(ProxmoxException e, String credentialField) {
    return switch (e) {
      case ProxmoxException.CertificateMismatch m ->
          new WizardException(
              WizardException.Kind.CERTIFICATE_MISMATCH,
              "the server presented the certificate " + m.seen() + ", which is not pinned",
              List.of(
                  new FieldError(
                      "tls.pinnedFingerprints",
                      "the server presented "
                          + m.seen()
                          + ", which matches no pinned fingerprint: probe again and compare")));
      case ProxmoxException.AuthenticationFailed a ->
          WizardException.field(
              WizardException.Kind.AUTHENTICATION,
              credentialField,
              "Proxmox refused these credentials (wrong id, secret or password, expired or"
                  + " disabled)");
      case ProxmoxException.TfaRequired t ->
          WizardException.field(
              WizardException.Kind.TFA_REQUIRED,
              "login.otp",
              "this account has a second factor ("
                  + String.join(", ", t.factors())
                  + "): enter the current one-time code");
      case ProxmoxException.PermissionDenied p ->
          WizardException.field(
              WizardException.Kind.PERMISSION,
              credentialField,
              "lacks "
                  + p.privilege()
                  + " on "
                  + p.aclPath()
                  + " ("
                  + e.method()
                  + " "
                  + e.path()
                  + ")");
      case TransportError t when t.kind() == TransportError.Kind.TLS ->
          WizardException.field(
              WizardException.Kind.TLS,
              "tls",
              "the TLS handshake failed: the certificate is not trusted by the chosen CA or trust"
                  + " store, or its name does not match the host");
      case TransportError t when t.kind() == TransportError.Kind.PROXY ->
          WizardException.field(
              WizardException.Kind.UNREACHABLE, "proxy", "the proxy refused: " + t.getMessage());
      case TransportError t ->
          WizardException.field(
              WizardException.Kind.UNREACHABLE,
              "endpoint.host",
              "could not reach Proxmox (" + t.kind().name().toLowerCase() + ")");
      case ProxmoxException.NotFound n ->
          WizardException.field(
              WizardException.Kind.UPSTREAM,
              "endpoint.pathPrefix",
              "the Proxmox API was not found there ("
                  + e.method()
                  + " "
                  + e.path()
                  + " answered"
                  + " 404): check the path prefix");
      default ->
          new WizardException(
              WizardException.Kind.UPSTREAM, "Proxmox answered: " + e.getMessage(), List.of());
    };
  }
}
