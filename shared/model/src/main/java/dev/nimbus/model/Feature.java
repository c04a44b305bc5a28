package dev.nimbus.model;

/** The features of Nimbus that need provider permissions. */
public enum Feature {
  /** Read the inventory. */
  DISCOVERY,
  /** Read the IP addresses a guest agent reports (optional part of discovery). */
  GUEST_AGENT,
  /** Sample usage for showback. */
  USAGE,
  /** Create and change resources through Pulumi. */
  DEPLOYMENT
}
