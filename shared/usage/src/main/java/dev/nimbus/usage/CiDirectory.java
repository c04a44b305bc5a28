package dev.nimbus.usage;

import dev.nimbus.model.ConnectionRef;
import java.util.Map;

/** The CMDB's facts about a connection's CIs, by native key (read once per recording). */
@FunctionalInterface
public interface CiDirectory {
  Map<String, CiFacts> facts(ConnectionRef connection);

  CiDirectory NONE = c -> Map.of();
}
