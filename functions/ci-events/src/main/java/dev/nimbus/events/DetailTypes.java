package dev.nimbus.events;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.model.PropertyChange;

/**
 * The EventBridge {@code detail-type} of each CMDB change kind, and AWS Config's diff change type
 * for it. Rules match on these strings, so they never change once published.
 */
public final class DetailTypes {
  private DetailTypes() {}

  /** {@code Nimbus CI Created}, {@code Nimbus CI Updated}, ... */
  public static String of(ChangeKind kind) {
    return switch (kind) {
      case CREATED -> "Nimbus CI Created";
      case UPDATED -> "Nimbus CI Updated";
      case DELETED -> "Nimbus CI Deleted";
      case UNREACHABLE -> "Nimbus CI Unreachable";
      case RECOVERED -> "Nimbus CI Recovered";
    };
  }

  /**
   * AWS Config's {@code configurationItemDiff.changeType}: CREATE, UPDATE or DELETE. Unreachable
   * and recovered CIs still exist, so their diff is an UPDATE (of the status at least).
   */
  public static PropertyChange.Kind diffChangeType(ChangeKind kind) {
    return switch (kind) {
      case CREATED -> PropertyChange.Kind.CREATE;
      case DELETED -> PropertyChange.Kind.DELETE;
      case UPDATED, UNREACHABLE, RECOVERED -> PropertyChange.Kind.UPDATE;
    };
  }
}
