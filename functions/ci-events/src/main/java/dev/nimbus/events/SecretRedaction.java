package dev.nimbus.events;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.PropertyChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of events. Proxmox masks most secrets itself ({@code cipassword} comes back as
 * stars) but storage and backup configs can carry passwords, keyrings and encryption keys, and
 * events leave the account for webhooks: so any attribute whose name looks like a secret is
 * replaced by {@value #REDACTED}, in the CI and in the diff alike.
 */
public final class SecretRedaction {
  /** What a redacted value reads as. */
  public static final String REDACTED = "[redacted]";

  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|passphrase|secret|token|keyring|encryption-key|private-?key"
              + "|api-?key|credential).*");

  private SecretRedaction() {}

  /** True when an attribute of this name must never be shown. */
  public static boolean isSecretName(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /** The CI with every secret-looking attribute redacted (the same instance when none is). */
  public static ConfigurationItem redact(ConfigurationItem ci) {
    Map<String, Object> original = ci.attributes().asMap();
    @SuppressWarnings("unchecked")
    Map<String, Object> redacted = (Map<String, Object>) redactValue(original);
    if (redacted.equals(original)) {
      return ci;
    }
    return ci.withAttributes(Attributes.of(redacted));
  }

  /** The changes with the values of secret-looking paths redacted. */
  public static List<PropertyChange> redact(List<PropertyChange> changes) {
    List<PropertyChange> out = new ArrayList<>(changes.size());
    for (PropertyChange c : changes) {
      if (pathIsSecret(c.path())) {
        out.add(
            new PropertyChange(
                c.path(),
                c.previousValue() == null ? null : REDACTED,
                c.updatedValue() == null ? null : REDACTED,
                c.kind()));
      } else {
        out.add(
            new PropertyChange(
                c.path(), redactValue(c.previousValue()), redactValue(c.updatedValue()), c.kind()));
      }
    }
    return out;
  }

  private static boolean pathIsSecret(String path) {
    for (String segment : path.split("\\.")) {
      String name = segment.replaceAll("\\[\\d+]$", "");
      if (isSecretName(name)) {
        return true;
      }
    }
    return false;
  }

  private static Object redactValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = (String) e.getKey();
        out.put(key, isSecretName(key) ? REDACTED : redactValue(e.getValue()));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(redactValue(v)));
      return out;
    }
    return value;
  }
}
