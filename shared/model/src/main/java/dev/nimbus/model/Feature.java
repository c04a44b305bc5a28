package dev.nimbus.model;

/** The features of Nimbus that need provider permissions. */
public enum Feature {
  /** Read the inventory. */
  DISCOVERY,
  /** Read the IP addresses a guest agent reports (optional part of discovery). */
  GUEST_AGENT,
  /**
   * See configuration edits made by anyone (also the synchronous ones that leave no task) within
   * one run, through the cluster log (optional part of discovery).
   */
  FAST_CHANGE_DETECTION,
  /** Sample usage for showback. */
  USAGE,
  /** Create and change resources through Pulumi. */
  DEPLOYMENT
}
