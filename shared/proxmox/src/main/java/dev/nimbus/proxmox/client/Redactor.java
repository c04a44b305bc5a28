package dev.nimbus.proxmox.client;

import dev.nimbus.model.Secret;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Removes every known secret (token secret, extra header values, password during login, ticket,
 * CSRF token) from text that came from the server or the network stack, before it can reach an
 * exception message or a log line. Defence in depth: Proxmox does not echo secrets, but a proxy or
 * a tunnel in between might.
 */
final class Redactor implements UnaryOperator<String> {
  private static final String MASK = "****";
  private final Set<Secret> secrets = ConcurrentHashMap.newKeySet();

  void add(Secret secret) {
    secrets.add(secret);
  }

  void remove(Secret secret) {
    secrets.remove(secret);
  }

  @Override
  public String apply(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Secret secret : secrets) {
      if (secret.isDestroyed()) {
        continue;
      }
      String value = secret.reveal();
      if (!value.isEmpty() && out.contains(value)) {
        out = out.replace(value, MASK);
      }
    }
    return out;
  }
}
