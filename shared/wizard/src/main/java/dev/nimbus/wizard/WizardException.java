package dev.nimbus.wizard;

import dev.nimbus.connections.FieldError;
import java.util.List;

/**
 * A wizard request that cannot be answered as asked, with what the HTTP API turns into an {@code
 * application/problem+json} answer: a status (always 4xx: the user can act on it), a problem type,
 * a title and the fields at fault. Messages never quote a secret.
 */
public final class WizardException extends RuntimeException {
  /** Problem types, the last segment of the problem's {@code type} URI. */
  public enum Kind {
    VALIDATION(400, "The request is not valid"),
    NOT_FOUND(404, "Not found"),
    CONFLICT(409, "The resource changed or already exists"),
    CERTIFICATE_MISMATCH(422, "The server's certificate does not match the pinned fingerprint"),
    TLS(422, "The server's certificate is not trusted"),
    AUTHENTICATION(422, "Proxmox refused the credentials"),
    TFA_REQUIRED(422, "This account needs a one-time code"),
    PERMISSION(422, "The credentials lack a privilege this step needs"),
    UNREACHABLE(422, "The Proxmox endpoint could not be reached"),
    POLICY(422, "The address is not allowed"),
    UPSTREAM(422, "Proxmox answered with an error");

    private final int status;
    private final String title;

    Kind(int status, String title) {
      this.status = status;
      this.title = title;
    }

    public int status() {
      return status;
    }

    public String title() {
      return title;
    }
  }

  private final Kind kind;
  private final List<FieldError> errors;

  public WizardException(Kind kind, String detail, List<FieldError> errors) {
    super(detail);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  public static WizardException field(Kind kind, String field, String message) {
    return new WizardException(
        kind, field + ": " + message, List.of(new FieldError(field, message)));
  }

  public static WizardException notFound(String what) {
    return new WizardException(Kind.NOT_FOUND, what + " was not found", List.of());
  }

  public Kind kind() {
    return kind;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
