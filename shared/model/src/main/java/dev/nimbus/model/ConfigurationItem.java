package dev.nimbus.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A configuration item: one discovered resource in provider-neutral form. Its {@link #id()} is
 * derived from provider, connection and native key, so identity survives renames and migrations;
 * two CIs are equal when every component is equal. {@link #scope()} names the discovery partition
 * the CI was read from ({@code cluster}, {@code node/pve2}): when a run cannot read a scope, the
 * CMDB marks that scope's CIs unreachable instead of deleting them.
 *
 * <p>Relationships are kept sorted and free of duplicates, so equal resources give equal CIs
 * whatever order the provider found their edges in.
 */
public record ConfigurationItem(
    CiId id,
    String provider,
    ConnectionRef connection,
    String nativeKey,
    SemanticType semanticType,
    String providerType,
    String name,
    String scope,
    Attributes attributes,
    List<Relationship> relationships,
    CiStatus status) {

  public ConfigurationItem {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(connection, "connection");
    NativeKeys.requireValid(nativeKey);
    Objects.requireNonNull(semanticType, "semanticType");
    Objects.requireNonNull(providerType, "providerType");
    Objects.requireNonNull(status, "status");
    name = name == null || name.isBlank() ? nativeKey : name;
    scope = scope == null || scope.isBlank() ? "cluster" : scope;
    attributes = attributes == null ? Attributes.empty() : attributes;
    relationships = relationships == null ? List.of() : List.copyOf(new TreeSet<>(relationships));
    CiId expected = CiId.of(provider, connection, nativeKey);
    if (id == null) {
      id = expected;
    } else if (!id.equals(expected)) {
      throw new IllegalArgumentException(
          "CI id " + id + " does not belong to " + provider + " " + connection + " " + nativeKey);
    }
  }

  /** A newly discovered CI; the id is derived. */
  public static ConfigurationItem discovered(
      String provider,
      ConnectionRef connection,
      String nativeKey,
      SemanticType semanticType,
      String providerType,
      String name,
      String scope,
      Attributes attributes,
      List<Relationship> relationships) {
    return new ConfigurationItem(
        null,
        provider,
        connection,
        nativeKey,
        semanticType,
        providerType,
        name,
        scope,
        attributes,
        relationships,
        CiStatus.RESOURCE_DISCOVERED);
  }

  /** The same CI with another status. */
  public ConfigurationItem withStatus(CiStatus newStatus) {
    return new ConfigurationItem(
        id,
        provider,
        connection,
        nativeKey,
        semanticType,
        providerType,
        name,
        scope,
        attributes,
        relationships,
        newStatus);
  }

  /** The same CI with other attributes (a kept or redacted value). */
  public ConfigurationItem withAttributes(Attributes newAttributes) {
    return new ConfigurationItem(
        id,
        provider,
        connection,
        nativeKey,
        semanticType,
        providerType,
        name,
        scope,
        newAttributes,
        relationships,
        status);
  }

  /** The same CI with other relationships (an edge kept from before, or left out). */
  public ConfigurationItem withRelationships(List<Relationship> newRelationships) {
    return new ConfigurationItem(
        id,
        provider,
        connection,
        nativeKey,
        semanticType,
        providerType,
        name,
        scope,
        attributes,
        newRelationships,
        status);
  }

  /** The same CI with another provider type. */
  public ConfigurationItem withProviderType(String newProviderType) {
    return new ConfigurationItem(
        id,
        provider,
        connection,
        nativeKey,
        semanticType,
        newProviderType,
        name,
        scope,
        attributes,
        relationships,
        status);
  }

  /** The relationships of one kind. */
  public List<Relationship> relationships(RelationshipKind kind) {
    return relationships.stream().filter(r -> r.kind() == kind).toList();
  }

  /**
   * A SHA-256 over what a user would call the resource's configuration: type, name, scope,
   * attributes and relationships, but not the status. Equal hashes mean nothing to write.
   */
  public String contentHash() {
    return Attributes.sha256(
        CanonicalJson.write(
            List.of(
                semanticType.name(),
                providerType,
                name,
                scope,
                attributes.asMap(),
                relationships.stream().map(ConfigurationItem::edge).toList())));
  }

  /**
   * The field-level changes from {@code previous} to this CI: {@code name}, {@code scope}, {@code
   * attributes.*} and {@code relationships.<kind>} (the sorted target list of each kind).
   */
  public List<PropertyChange> changesSince(ConfigurationItem previous) {
    List<PropertyChange> changes = new ArrayList<>();
    AttributeDiff.diff("name", previous.name, name, changes);
    AttributeDiff.diff("scope", previous.scope, scope, changes);
    AttributeDiff.diff("providerType", previous.providerType, providerType, changes);
    for (PropertyChange c : attributes.diffFrom(previous.attributes)) {
      changes.add(
          new PropertyChange(
              "attributes." + c.path(), c.previousValue(), c.updatedValue(), c.kind()));
    }
    for (RelationshipKind kind : RelationshipKind.values()) {
      List<String> before =
          previous.relationships(kind).stream().map(ConfigurationItem::edge).toList();
      List<String> after = relationships(kind).stream().map(ConfigurationItem::edge).toList();
      if (!before.equals(after)) {
        changes.add(
            new PropertyChange(
                "relationships." + kind.name(),
                before.isEmpty() ? null : before,
                after.isEmpty() ? null : after,
                before.isEmpty()
                    ? PropertyChange.Kind.CREATE
                    : after.isEmpty() ? PropertyChange.Kind.DELETE : PropertyChange.Kind.UPDATE));
      }
    }
    return List.copyOf(changes);
  }

  private static String edge(Relationship r) {
    return r.kind().name()
        + " "
        + r.targetNativeKey()
        + (r.qualifier().isEmpty() ? "" : " " + r.qualifier());
  }
}
