package dev.nimbus.cmdb.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB bills and limits (400 KB) an item at, after its documented rules: attribute
 * names and string values in UTF-8 bytes, numbers about one byte per two significant digits plus
 * one, binary values in bytes, and 3 bytes plus one per element for lists and maps.
 */
public final class ItemSize {
  /** DynamoDB's maximum item size. */
  public static final long LIMIT = 400 * 1024;

  private ItemSize() {}

  /** The size of an item in bytes. */
  public static long of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + of(e.getValue());
    }
    return size;
  }

  private static long of(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    }
    if (v.n() != null) {
      return number(v.n());
    }
    if (v.b() != null) {
      return v.b().asByteArray().length;
    }
    if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
      return 1;
    }
    if (v.hasSs()) {
      return v.ss().stream().mapToLong(ItemSize::utf8).sum();
    }
    if (v.hasNs()) {
      return v.ns().stream().mapToLong(ItemSize::number).sum();
    }
    if (v.hasBs()) {
      return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
    }
    if (v.hasL()) {
      long size = 3;
      for (AttributeValue element : v.l()) {
        size += 1 + of(element);
      }
      return size;
    }
    if (v.hasM()) {
      long size = 3;
      for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
        size += 1 + utf8(e.getKey()) + of(e.getValue());
      }
      return size;
    }
    return 1;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static long number(String n) {
    String digits = new BigDecimal(n).unscaledValue().abs().toString().replaceAll("0+$", "");
    return (Math.max(1, digits.length()) + 1) / 2 + 1;
  }
}
