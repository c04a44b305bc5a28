package dev.nimbus.model;

/**
 * The provider-neutral kind of a configuration item, after the design card's mapping table. A
 * provider maps each native resource onto exactly one of these; {@code DATABASE} and {@code
 * LOAD_BALANCER} exist for clouds that have them natively (Proxmox has neither).
 */
public enum SemanticType {
  /**
   * The account-level boundary: an AWS account, a Proxmox cluster (a lone node is a cluster of
   * one).
   */
  TENANCY,
  /**
   * A grouping for ownership and access: an OCI compartment, a Proxmox pool (nested since PVE 8.1).
   */
  COMPARTMENT,
  /** A layer-2/3 network: a VPC, a Proxmox bridge, an SDN zone or vnet. */
  NETWORK,
  /** Something that runs workloads: a VM or container. */
  COMPUTE,
  /** A place where disks and backups live. */
  STORAGE,
  /** A managed database service. */
  DATABASE,
  /** A managed load balancer. */
  LOAD_BALANCER,
  /** A set of traffic rules: a security group, a Proxmox firewall rule set or security group. */
  SECURITY_GROUP,
  /** A hypervisor host on which compute runs: a Proxmox node. */
  HOST
}
