package dev.nimbus.reliability.tablefaults;

import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CiRepository;
import dev.nimbus.cmdb.Page;
import dev.nimbus.cmdb.StoredCi;
import dev.nimbus.model.CiStatus;
import dev.nimbus.model.ConnectionRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The CMDB invariants, read straight from the table: states, comparisons, history. */
final class CiCheck {
  private CiCheck() {}

  /** What is compared of a CI: status, content and state id. */
  record State(CiStatus status, String contentHash, long stateId) {
    static State of(StoredCi ci) {
      return new State(ci.status(), ci.contentHash(), ci.configurationStateId());
    }
  }

  static Map<String, State> states(CiRepository cis, ConnectionRef connection) {
    Map<String, State> out = new TreeMap<>();
    for (StoredCi ci : cis.allOfConnection(connection)) {
      out.put(ci.nativeKey(), State.of(ci));
    }
    return out;
  }

  /**
   * Lost, falsely deleted and falsely rewritten CIs of {@code actual} against {@code reference}.
   */
  static int[] compare(Map<String, State> actual, Map<String, State> reference) {
    int lost = 0;
    int deleted = 0;
    int rewritten = 0;
    for (var e : reference.entrySet()) {
      State a = actual.get(e.getKey());
      State r = e.getValue();
      if (a == null) {
        lost++;
      } else if (a.status() == CiStatus.RESOURCE_DELETED
          && r.status() != CiStatus.RESOURCE_DELETED) {
        deleted++;
      } else if (!a.equals(r)) {
        rewritten++;
      }
    }
    for (String key : actual.keySet()) {
      if (!reference.containsKey(key)) {
        rewritten++;
      }
    }
    return new int[] {lost, deleted, rewritten};
  }

  /**
   * After a failed attempt: every CI is as before it or as the reference has it (the attempt
   * applied part of the run), nothing that was there is gone.
   */
  static int[] afterFailure(
      Map<String, State> before, Map<String, State> after, Map<String, State> reference) {
    int lost = 0;
    int deleted = 0;
    int rewritten = 0;
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        lost++;
      }
    }
    for (var e : after.entrySet()) {
      State a = e.getValue();
      if (a.equals(before.get(e.getKey())) || a.equals(reference.get(e.getKey()))) {
        continue;
      }
      State r = reference.get(e.getKey());
      if (a.status() == CiStatus.RESOURCE_DELETED
          && (r == null || r.status() != CiStatus.RESOURCE_DELETED)) {
        deleted++;
      } else {
        rewritten++;
      }
    }
    return new int[] {lost, deleted, rewritten};
  }

  /** CIs of the connection whose history state ids are not exactly 1..n (n its state id). */
  static int historyGaps(CiRepository cis, ConnectionRef connection) {
    int bad = 0;
    for (StoredCi ci : cis.allOfConnection(connection)) {
      List<Long> ids = new ArrayList<>();
      String cursor = null;
      do {
        Page<CiHistoryEntry> page = cis.timeline(connection, ci.id(), 100, cursor);
        page.items().forEach(h -> ids.add(h.configurationStateId()));
        cursor = page.nextCursor();
      } while (cursor != null);
      List<Long> expected = new ArrayList<>();
      for (long i = ci.configurationStateId(); i >= 1; i--) {
        expected.add(i);
      }
      if (!ids.equals(expected)) {
        bad++;
      }
    }
    return bad;
  }
}
