package dev.nimbus.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Walks two normalized trees and reports leaf-level differences. */
final class AttributeDiff {
  private AttributeDiff() {}

  static void diff(String path, Object previous, Object updated, List<PropertyChange> out) {
    if (Objects.equals(previous, updated)) {
      return;
    }
    if (previous instanceof Map<?, ?> before && updated instanceof Map<?, ?> after) {
      TreeSet<String> keys = new TreeSet<>();
      before.keySet().forEach(k -> keys.add((String) k));
      after.keySet().forEach(k -> keys.add((String) k));
      for (String key : keys) {
        diff(path.isEmpty() ? key : path + "." + key, before.get(key), after.get(key), out);
      }
      return;
    }
    if (previous instanceof List<?> before
        && updated instanceof List<?> after
        && before.size() == after.size()) {
      // Same length: report per element, so one changed NIC does not show as a whole new list.
      for (int i = 0; i < before.size(); i++) {
        diff(path + "[" + i + "]", before.get(i), after.get(i), out);
      }
      return;
    }
    PropertyChange.Kind kind =
        previous == null
            ? PropertyChange.Kind.CREATE
            : updated == null ? PropertyChange.Kind.DELETE : PropertyChange.Kind.UPDATE;
    out.add(new PropertyChange(path, previous, updated, kind));
  }
}
