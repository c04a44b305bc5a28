package dev.nimbus.proxmox.provider;

import dev.nimbus.model.Attributes;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.Relationship;
import dev.nimbus.model.RelationshipKind;
import dev.nimbus.model.SemanticType;
import java.util.ArrayList;
import java.util.List;

/** Builds Proxmox CIs of one connection: provider and connection are filled in once. */
final class CiFactory {
  private final ConnectionRef connection;

  CiFactory(ConnectionRef connection) {
    this.connection = connection;
  }

  ConnectionRef connection() {
    return connection;
  }

  Relationship edge(RelationshipKind kind, String targetKey, String qualifier) {
    return Relationship.to(kind, ProxmoxKeys.PROVIDER, connection, targetKey, qualifier);
  }

  Edges edges() {
    return new Edges();
  }

  ConfigurationItem ci(
      String nativeKey,
      SemanticType type,
      String providerType,
      String name,
      String scope,
      Attributes attributes,
      Edges edges) {
    return ConfigurationItem.discovered(
        ProxmoxKeys.PROVIDER,
        connection,
        nativeKey,
        type,
        providerType,
        name,
        scope,
        attributes,
        edges.list);
  }

  /** Collects the relationships of one CI; every CI is contained in the tenancy. */
  final class Edges {
    private final List<Relationship> list = new ArrayList<>();

    Edges add(RelationshipKind kind, String targetKey) {
      return add(kind, targetKey, "");
    }

    Edges add(RelationshipKind kind, String targetKey, String qualifier) {
      list.add(edge(kind, targetKey, qualifier));
      return this;
    }

    Edges inTenancy() {
      return add(RelationshipKind.CONTAINED_IN, ProxmoxKeys.TENANCY);
    }
  }
}
