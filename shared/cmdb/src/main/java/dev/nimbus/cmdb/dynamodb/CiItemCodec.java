package dev.nimbus.cmdb.dynamodb;

import dev.nimbus.cmdb.CiHistoryEntry;
import dev.nimbus.cmdb.CmdbKeys;
import dev.nimbus.cmdb.StoredCi;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns raw CMDB items ({@code Map<String, AttributeValue>}, as in a DynamoDB stream record's NEW
 * or OLD image) into domain records and back, without the caller knowing the storage schema. The
 * ci-events function uses it to build an AWS Config style change event from a CI's new image: the
 * CI, its status and state id, and its {@code lastChange} (kind, changed properties with previous
 * and updated values, attribution, capture time).
 */
public final class CiItemCodec {
  private CiItemCodec() {}

  /** True when the item is a CI (itemType {@code CI}). */
  public static boolean isCi(Map<String, AttributeValue> item) {
    return hasType(item, CmdbKeys.TYPE_CI);
  }

  /** True when the item is a CI history entry (itemType {@code CI_HISTORY}). */
  public static boolean isHistory(Map<String, AttributeValue> item) {
    return hasType(item, CmdbKeys.TYPE_CI_HISTORY);
  }

  /** The CI, with its last change, of a CI item. */
  public static StoredCi decode(Map<String, AttributeValue> item) {
    require(isCi(item), "a CI item");
    return ItemMapper.toStoredCi(ItemMapper.CI_SCHEMA.mapToItem(item));
  }

  /** The history entry of a history item. */
  public static CiHistoryEntry decodeHistory(Map<String, AttributeValue> item) {
    require(isHistory(item), "a CI history item");
    return ItemMapper.toEntry(ItemMapper.HISTORY_SCHEMA.mapToItem(item));
  }

  /** The item a stored CI is kept as (its version attribute set to the CI's version). */
  public static Map<String, AttributeValue> encode(StoredCi ci) {
    return ItemMapper.CI_SCHEMA.itemToMap(ItemMapper.toItem(ci, ci.version()), true);
  }

  /** The item a history entry is kept as. */
  public static Map<String, AttributeValue> encode(CiHistoryEntry entry) {
    return ItemMapper.HISTORY_SCHEMA.itemToMap(ItemMapper.toItem(entry), true);
  }

  private static boolean hasType(Map<String, AttributeValue> item, String type) {
    AttributeValue t = item.get(CmdbKeys.ITEM_TYPE);
    return t != null && type.equals(t.s());
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("not " + what + " (itemType is not set accordingly)");
    }
  }
}
