package dev.nimbus.cmdb;

import java.util.List;
import java.util.Optional;

/**
 * One page of a query. {@code nextCursor} is opaque: pass it back to get the following page; it is
 * null on the last page.
 */
public record Page<T>(List<T> items, String nextCursor) {

  public Page {
    items = List.copyOf(items);
  }

  public boolean hasMore() {
    return nextCursor != null;
  }

  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
