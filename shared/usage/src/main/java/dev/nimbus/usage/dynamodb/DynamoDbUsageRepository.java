package dev.nimbus.usage.dynamodb;

import dev.nimbus.aws.TableDocuments;
import dev.nimbus.aws.TableKeys;
import dev.nimbus.model.ConnectionRef;
import dev.nimbus.model.CounterBaseline;
import dev.nimbus.usage.DailyRollup;
import dev.nimbus.usage.HourlyUsage;
import dev.nimbus.usage.RateCard;
import dev.nimbus.usage.UsageRepository;
import dev.nimbus.usage.UsageState;
import dev.nimbus.usage.UsageTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchGetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Usage on the one Nimbus table through the Enhanced Client's document schema ({@link
 * TableDocuments}), keys from {@link TableKeys}. Hours and rollups are written with BatchWriteItem
 * (25 items a request, unprocessed items sent again); the state is gzip-compressed JSON in pages of
 * {@link #STATE_PAGE_HOURS} open hours, well under the 400 KB item limit.
 */
public final class DynamoDbUsageRepository implements UsageRepository {
  public static final int STATE_PAGE_HOURS = 1000;
  private static final int BATCH_WRITE = 25;
  private static final int BATCH_GET = 100;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DynamoDbEnhancedClient enhanced;
  private final DynamoDbTable<EnhancedDocument> table;
  private final AtomicLong writeRequests = new AtomicLong();

  public DynamoDbUsageRepository(DynamoDbClient dynamoDb, String tableName) {
    this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
    this.table = TableDocuments.table(enhanced, tableName);
  }

  @Override
  public long writeRequests() {
    return writeRequests.get();
  }

  // --- state ---

  @Override
  public UsageState loadState(ConnectionRef c) {
    String pk = TableKeys.connectionPk(c.tenantId(), c.connectionId());
    List<HourlyUsage> open = new ArrayList<>();
    JsonNode header = null;
    for (EnhancedDocument d :
        table
            .query(
                QueryEnhancedRequest.builder()
                    .queryConditional(
                        QueryConditional.sortBeginsWith(
                            Key.builder()
                                .partitionValue(pk)
                                .sortValue(TableKeys.USAGE_STATE_PREFIX)
                                .build()))
                    .consistentRead(true)
                    .build())
            .items()) {
      JsonNode page = gunzip(d.getBytes("data").asByteArray());
      if (page.has("cursor") || header == null) {
        header = page.has("cursor") ? page : header;
      }
      for (JsonNode h : page.path("open")) {
        open.add(hour(c, h));
      }
    }
    if (header == null) {
      return UsageState.NONE;
    }
    Set<String> shared = null;
    if (header.has("shared")) {
      shared = new LinkedHashSet<>();
      for (JsonNode s : header.get("shared")) {
        shared.add(s.asString());
      }
    }
    Map<String, CounterBaseline> baselines = new HashMap<>();
    header
        .path("baselines")
        .properties()
        .forEach(
            e -> {
              JsonNode a = e.getValue();
              baselines.put(
                  e.getKey(),
                  new CounterBaseline(
                      a.get(0).asLong(),
                      num(a.get(1)),
                      num(a.get(2)),
                      num(a.get(3)),
                      num(a.get(4)),
                      num(a.get(5))));
            });
    return new UsageState(
        instant(header.path("cursor")),
        shared,
        instant(header.path("sharedReadAt")),
        open,
        baselines);
  }

  @Override
  public int saveState(ConnectionRef c, UsageState state) {
    String pk = TableKeys.connectionPk(c.tenantId(), c.connectionId());
    List<HourlyUsage> open = state.openHours();
    int pages = Math.max(1, (open.size() + STATE_PAGE_HOURS - 1) / STATE_PAGE_HOURS);
    List<EnhancedDocument> docs = new ArrayList<>();
    for (int p = 0; p < pages; p++) {
      ObjectNode page = JSON.createObjectNode();
      if (p == 0) {
        page.put("cursor", state.cursor() == null ? null : state.cursor().toString());
        if (state.sharedStorage() != null) {
          ArrayNode shared = page.putArray("shared");
          state.sharedStorage().stream().sorted().forEach(shared::add);
        }
        page.put(
            "sharedReadAt",
            state.sharedStorageReadAt() == null ? null : state.sharedStorageReadAt().toString());
        page.put("pages", pages);
        ObjectNode b = page.putObject("baselines");
        state
            .baselines()
            .forEach(
                (k, v) -> {
                  ArrayNode a = b.putArray(k);
                  a.add(v.timestamp());
                  a.add(v.uptime());
                  a.add(v.networkIn());
                  a.add(v.networkOut());
                  a.add(v.diskRead());
                  a.add(v.diskWrite());
                });
      }
      ArrayNode hours = page.putArray("open");
      for (HourlyUsage h :
          open.subList(p * STATE_PAGE_HOURS, Math.min(open.size(), (p + 1) * STATE_PAGE_HOURS))) {
        hours.add(json(h));
      }
      Map<String, AttributeValue> item = new LinkedHashMap<>();
      item.put(TableKeys.PK, s(pk));
      item.put(TableKeys.SK, s(TableKeys.usageStateSk(p)));
      item.put(TableKeys.ITEM_TYPE, s(TableKeys.TYPE_USAGE_STATE));
      item.put("data", AttributeValue.fromB(SdkBytes.fromByteArray(gzip(page))));
      docs.add(TableDocuments.of(item));
    }
    // Pages a larger state left behind are removed, so a load never reads stale hours.
    List<Key> stale = new ArrayList<>();
    for (EnhancedDocument d :
        table
            .query(
                QueryEnhancedRequest.builder()
                    .queryConditional(
                        QueryConditional.sortBeginsWith(
                            Key.builder()
                                .partitionValue(pk)
                                .sortValue(TableKeys.USAGE_STATE_PREFIX)
                                .build()))
                    .attributesToProject(TableKeys.PK, TableKeys.SK)
                    .build())
            .items()) {
      String sk = d.getString(TableKeys.SK);
      int n = Integer.parseInt(sk.substring(TableKeys.USAGE_STATE_PREFIX.length()));
      if (n >= pages) {
        stale.add(TableDocuments.key(pk, sk));
      }
    }
    write(docs, stale);
    return docs.size() + stale.size();
  }

  // --- hours ---

  private static Key hourKey(ConnectionRef c, String nativeKey, Instant hour) {
    return TableDocuments.key(
        TableKeys.usageDayPk(
            c.tenantId(), c.connectionId(), LocalDate.ofInstant(hour, ZoneOffset.UTC)),
        TableKeys.usageHourSk(nativeKey, hour));
  }

  @Override
  public Map<HourKey, HourlyUsage> getHours(ConnectionRef c, Collection<HourKey> keys) {
    Map<HourKey, HourlyUsage> out = new HashMap<>();
    List<HourKey> all = new ArrayList<>(keys);
    for (int i = 0; i < all.size(); i += BATCH_GET) {
      ReadBatch.Builder<EnhancedDocument> batch =
          ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
      for (HourKey k : all.subList(i, Math.min(all.size(), i + BATCH_GET))) {
        batch.addGetItem(hourKey(c, k.nativeKey(), k.hour()));
      }
      enhanced
          .batchGetItem(BatchGetItemEnhancedRequest.builder().readBatches(batch.build()).build())
          .resultsForTable(table)
          .forEach(
              d -> {
                HourlyUsage h = hour(c, d);
                out.put(new HourKey(h.nativeKey(), h.hour()), h);
              });
    }
    return out;
  }

  @Override
  public int putHours(List<HourlyUsage> hours, Instant expiresAt) {
    List<EnhancedDocument> docs = new ArrayList<>();
    for (HourlyUsage h : hours) {
      Key k = hourKey(h.connection(), h.nativeKey(), h.hour());
      Map<String, AttributeValue> item = totals(h.totals());
      item.put(TableKeys.PK, s(k.partitionKeyValue().s()));
      item.put(TableKeys.SK, s(k.sortKeyValue().orElseThrow().s()));
      item.put(TableKeys.ITEM_TYPE, s(TableKeys.TYPE_USAGE_HOUR));
      item.put("nativeKey", s(h.nativeKey()));
      item.put("hour", s(h.hour().toString()));
      item.put("coverage", s(coverage(h.coverage())));
      item.put(TableKeys.EXPIRES_AT, n(expiresAt.getEpochSecond()));
      docs.add(TableDocuments.of(item));
    }
    write(docs, List.of());
    return docs.size();
  }

  @Override
  public List<HourlyUsage> hoursOf(ConnectionRef c, String nativeKey, Instant from, Instant to) {
    List<HourlyUsage> out = new ArrayList<>();
    for (LocalDate day : days(from, to)) {
      String pk = TableKeys.usageDayPk(c.tenantId(), c.connectionId(), day);
      for (EnhancedDocument d :
          table
              .query(
                  QueryEnhancedRequest.builder()
                      .queryConditional(
                          QueryConditional.sortBeginsWith(
                              Key.builder().partitionValue(pk).sortValue(nativeKey + "#").build()))
                      .build())
              .items()) {
        HourlyUsage h = hour(c, d);
        if (inRange(h, from, to)) {
          out.add(h);
        }
      }
    }
    return out;
  }

  @Override
  public List<HourlyUsage> hoursOfConnection(ConnectionRef c, Instant from, Instant to) {
    List<HourlyUsage> out = new ArrayList<>();
    for (LocalDate day : days(from, to)) {
      String pk = TableKeys.usageDayPk(c.tenantId(), c.connectionId(), day);
      for (EnhancedDocument d :
          table
              .query(
                  QueryEnhancedRequest.builder()
                      .queryConditional(
                          QueryConditional.keyEqualTo(Key.builder().partitionValue(pk).build()))
                      .build())
              .items()) {
        HourlyUsage h = hour(c, d);
        if (inRange(h, from, to)) {
          out.add(h);
        }
      }
    }
    return out;
  }

  private static boolean inRange(HourlyUsage h, Instant from, Instant to) {
    return !h.hour().isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.HOURS))
        && h.hour().isBefore(to);
  }

  private static List<LocalDate> days(Instant from, Instant to) {
    List<LocalDate> out = new ArrayList<>();
    LocalDate last = LocalDate.ofInstant(to.minusSeconds(1), ZoneOffset.UTC);
    for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC);
        !d.isAfter(last);
        d = d.plusDays(1)) {
      out.add(d);
    }
    return out;
  }

  // --- rollups ---

  private static Key rollupKey(DailyRollup.Key k) {
    return TableDocuments.key(
        TableKeys.rollupPk(k.tenantId(), k.dimension().name(), k.value()),
        TableKeys.rollupSk(k.day(), k.connectionId(), k.node(), k.storageType()));
  }

  @Override
  public Map<DailyRollup.Key, DailyRollup> getRollups(Collection<DailyRollup.Key> keys) {
    Map<DailyRollup.Key, DailyRollup> out = new HashMap<>();
    List<DailyRollup.Key> all = new ArrayList<>(keys);
    for (int i = 0; i < all.size(); i += BATCH_GET) {
      ReadBatch.Builder<EnhancedDocument> batch =
          ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
      for (DailyRollup.Key k : all.subList(i, Math.min(all.size(), i + BATCH_GET))) {
        batch.addGetItem(rollupKey(k));
      }
      enhanced
          .batchGetItem(BatchGetItemEnhancedRequest.builder().readBatches(batch.build()).build())
          .resultsForTable(table)
          .forEach(
              d -> {
                DailyRollup r = rollup(d);
                out.put(r.key(), r);
              });
    }
    return out;
  }

  @Override
  public int putRollups(List<DailyRollup> rollups, Instant expiresAt) {
    List<EnhancedDocument> docs = new ArrayList<>();
    for (DailyRollup r : rollups) {
      Key k = rollupKey(r.key());
      Map<String, AttributeValue> item = totals(r.totals());
      item.put(TableKeys.PK, s(k.partitionKeyValue().s()));
      item.put(TableKeys.SK, s(k.sortKeyValue().orElseThrow().s()));
      item.put(TableKeys.ITEM_TYPE, s(TableKeys.TYPE_USAGE_ROLLUP));
      item.put("tenantId", s(r.tenantId()));
      item.put("dimension", s(r.dimension().name()));
      item.put("value", s(r.value()));
      item.put("day", s(r.day().toString()));
      item.put("connectionId", s(r.connectionId()));
      item.put("node", s(r.node()));
      item.put("storageType", s(r.storageType()));
      item.put(TableKeys.EXPIRES_AT, n(expiresAt.getEpochSecond()));
      docs.add(TableDocuments.of(item));
    }
    write(docs, List.of());
    return docs.size();
  }

  @Override
  public List<DailyRollup> rollups(
      String tenantId,
      DailyRollup.Dimension dimension,
      String value,
      LocalDate from,
      LocalDate to) {
    String pk = TableKeys.rollupPk(tenantId, dimension.name(), value);
    List<DailyRollup> out = new ArrayList<>();
    for (EnhancedDocument d :
        table
            .query(
                QueryEnhancedRequest.builder()
                    .queryConditional(
                        QueryConditional.sortBetween(
                            Key.builder().partitionValue(pk).sortValue(from + "#").build(),
                            Key.builder().partitionValue(pk).sortValue(to + "#~").build()))
                    .build())
            .items()) {
      out.add(rollup(d));
    }
    return out;
  }

  // --- rate cards ---

  @Override
  public Optional<RateCard> rateCard(ConnectionRef c) {
    EnhancedDocument d =
        table.getItem(
            TableDocuments.key(
                TableKeys.tenantPk(c.tenantId()), TableKeys.rateCardSk(c.connectionId())));
    if (d == null) {
      return Optional.empty();
    }
    JsonNode j = JSON.readTree(d.getString("card"));
    Map<String, String> classes = new TreeMap<>();
    j.path("nodeClasses")
        .properties()
        .forEach(e -> classes.put(e.getKey(), e.getValue().asString()));
    Map<String, RateCard.Rates> classRates = new TreeMap<>();
    j.path("classRates").properties().forEach(e -> classRates.put(e.getKey(), rates(e.getValue())));
    return Optional.of(
        new RateCard(
            c,
            j.get("currency").asString(),
            rates(j.get("base")),
            classes,
            classRates,
            Instant.parse(j.get("updatedAt").asString()),
            j.get("version").asLong()));
  }

  @Override
  public void putRateCard(RateCard card) {
    ObjectNode j = JSON.createObjectNode();
    j.put("currency", card.currency());
    j.set("base", json(card.base()));
    ObjectNode classes = j.putObject("nodeClasses");
    card.nodeClasses().forEach(classes::put);
    ObjectNode rates = j.putObject("classRates");
    card.classRates().forEach((k, v) -> rates.set(k, json(v)));
    j.put("updatedAt", card.updatedAt().toString());
    j.put("version", card.version());
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(TableKeys.PK, s(TableKeys.tenantPk(card.connection().tenantId())));
    item.put(TableKeys.SK, s(TableKeys.rateCardSk(card.connection().connectionId())));
    item.put(TableKeys.ITEM_TYPE, s(TableKeys.TYPE_RATE_CARD));
    item.put("card", s(j.toString()));
    table.putItem(TableDocuments.of(item));
    writeRequests.incrementAndGet();
  }

  private static ObjectNode json(RateCard.Rates r) {
    ObjectNode o = JSON.createObjectNode();
    // Prices as strings: exact decimals, never a binary double.
    if (r.vcpuHour() != null) {
      o.put("vcpuHour", r.vcpuHour().toPlainString());
    }
    if (r.memoryGibHour() != null) {
      o.put("memoryGibHour", r.memoryGibHour().toPlainString());
    }
    if (r.networkGb() != null) {
      o.put("networkGb", r.networkGb().toPlainString());
    }
    ObjectNode s = o.putObject("storageGbMonth");
    r.storageGbMonth().forEach((k, v) -> s.put(k, v.toPlainString()));
    return o;
  }

  private static RateCard.Rates rates(JsonNode o) {
    Map<String, BigDecimal> storage = new TreeMap<>();
    o.path("storageGbMonth")
        .properties()
        .forEach(e -> storage.put(e.getKey(), new BigDecimal(e.getValue().asString())));
    return new RateCard.Rates(
        dec(o, "vcpuHour"), dec(o, "memoryGibHour"), storage, dec(o, "networkGb"));
  }

  private static BigDecimal dec(JsonNode o, String f) {
    return o.hasNonNull(f) ? new BigDecimal(o.get(f).asString()) : null;
  }

  // --- batched writes ---

  private void write(List<EnhancedDocument> puts, List<Key> deletes) {
    List<Object> ops = new ArrayList<>(puts);
    ops.addAll(deletes);
    for (int i = 0; i < ops.size(); i += BATCH_WRITE) {
      WriteBatch.Builder<EnhancedDocument> batch =
          WriteBatch.builder(EnhancedDocument.class).mappedTableResource(table);
      for (Object op : ops.subList(i, Math.min(ops.size(), i + BATCH_WRITE))) {
        if (op instanceof EnhancedDocument d) {
          batch.addPutItem(d);
        } else {
          batch.addDeleteItem((Key) op);
        }
      }
      BatchWriteItemEnhancedRequest request =
          BatchWriteItemEnhancedRequest.builder().writeBatches(batch.build()).build();
      for (int attempt = 0; ; attempt++) {
        BatchWriteResult result = enhanced.batchWriteItem(request);
        writeRequests.incrementAndGet();
        List<EnhancedDocument> again = result.unprocessedPutItemsForTable(table);
        List<Key> againDeletes = result.unprocessedDeleteItemsForTable(table);
        if (again.isEmpty() && againDeletes.isEmpty()) {
          break;
        }
        if (attempt >= 8) {
          throw new IllegalStateException(
              "DynamoDB left " + (again.size() + againDeletes.size()) + " usage items unprocessed");
        }
        sleep(50L << attempt);
        WriteBatch.Builder<EnhancedDocument> retry =
            WriteBatch.builder(EnhancedDocument.class).mappedTableResource(table);
        again.forEach(retry::addPutItem);
        againDeletes.forEach(retry::addDeleteItem);
        request = BatchWriteItemEnhancedRequest.builder().writeBatches(retry.build()).build();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying unprocessed usage items", e);
    }
  }

  // --- mapping ---

  private static Map<String, AttributeValue> totals(UsageTotals t) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    m.put("runningSeconds", n(t.runningSeconds()));
    m.put("vcpuSecondsAllocated", n(t.vcpuSecondsAllocated()));
    m.put("vcpuSecondsUsed", n(t.vcpuSecondsUsed()));
    m.put("memoryByteSecondsAllocated", n(t.memoryByteSecondsAllocated()));
    m.put("memoryByteSecondsUsed", n(t.memoryByteSecondsUsed()));
    m.put("diskByteSecondsAllocated", n(t.diskByteSecondsAllocated()));
    m.put("diskByteSecondsUsed", n(t.diskByteSecondsUsed()));
    m.put("diskSeconds", n(t.diskSeconds()));
    m.put("diskUsedSeconds", n(t.diskUsedSeconds()));
    m.put("networkInBytes", n(t.networkInBytes()));
    m.put("networkOutBytes", n(t.networkOutBytes()));
    m.put("diskReadBytes", n(t.diskReadBytes()));
    m.put("diskWriteBytes", n(t.diskWriteBytes()));
    return m;
  }

  private static UsageTotals totals(Map<String, AttributeValue> m) {
    return new UsageTotals(
        Long.parseLong(m.get("runningSeconds").n()),
        Double.parseDouble(m.get("vcpuSecondsAllocated").n()),
        Double.parseDouble(m.get("vcpuSecondsUsed").n()),
        Double.parseDouble(m.get("memoryByteSecondsAllocated").n()),
        Double.parseDouble(m.get("memoryByteSecondsUsed").n()),
        Double.parseDouble(m.get("diskByteSecondsAllocated").n()),
        Double.parseDouble(m.get("diskByteSecondsUsed").n()),
        Long.parseLong(m.get("diskSeconds").n()),
        Long.parseLong(m.get("diskUsedSeconds").n()),
        Long.parseLong(m.get("networkInBytes").n()),
        Long.parseLong(m.get("networkOutBytes").n()),
        Long.parseLong(m.get("diskReadBytes").n()),
        Long.parseLong(m.get("diskWriteBytes").n()));
  }

  private static HourlyUsage hour(ConnectionRef c, EnhancedDocument d) {
    Map<String, AttributeValue> m = d.toMap();
    return new HourlyUsage(
        c,
        m.get("nativeKey").s(),
        Instant.parse(m.get("hour").s()),
        coverage(m.get("coverage").s()),
        totals(m));
  }

  private static DailyRollup rollup(EnhancedDocument d) {
    Map<String, AttributeValue> m = d.toMap();
    return new DailyRollup(
        m.get("tenantId").s(),
        DailyRollup.Dimension.valueOf(m.get("dimension").s()),
        m.get("value").s(),
        LocalDate.parse(m.get("day").s()),
        m.get("connectionId").s(),
        m.get("node").s(),
        m.get("storageType").s(),
        totals(m));
  }

  private static ObjectNode json(HourlyUsage h) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", h.nativeKey());
    o.put("hour", h.hour().getEpochSecond());
    o.put("coverage", coverage(h.coverage()));
    UsageTotals t = h.totals();
    ArrayNode v = o.putArray("t");
    v.add(t.runningSeconds());
    v.add(t.vcpuSecondsAllocated());
    v.add(t.vcpuSecondsUsed());
    v.add(t.memoryByteSecondsAllocated());
    v.add(t.memoryByteSecondsUsed());
    v.add(t.diskByteSecondsAllocated());
    v.add(t.diskByteSecondsUsed());
    v.add(t.diskSeconds());
    v.add(t.diskUsedSeconds());
    v.add(t.networkInBytes());
    v.add(t.networkOutBytes());
    v.add(t.diskReadBytes());
    v.add(t.diskWriteBytes());
    return o;
  }

  private static HourlyUsage hour(ConnectionRef c, JsonNode o) {
    JsonNode v = o.get("t");
    return new HourlyUsage(
        c,
        o.get("key").asString(),
        Instant.ofEpochSecond(o.get("hour").asLong()),
        coverage(o.get("coverage").asString()),
        new UsageTotals(
            v.get(0).asLong(),
            v.get(1).asDouble(),
            v.get(2).asDouble(),
            v.get(3).asDouble(),
            v.get(4).asDouble(),
            v.get(5).asDouble(),
            v.get(6).asDouble(),
            v.get(7).asLong(),
            v.get(8).asLong(),
            v.get(9).asLong(),
            v.get(10).asLong(),
            v.get(11).asLong(),
            v.get(12).asLong()));
  }

  static String coverage(List<HourlyUsage.Interval> coverage) {
    StringBuilder b = new StringBuilder();
    for (HourlyUsage.Interval i : coverage) {
      if (!b.isEmpty()) {
        b.append(',');
      }
      b.append(i.from()).append('-').append(i.to());
    }
    return b.toString();
  }

  static List<HourlyUsage.Interval> coverage(String text) {
    List<HourlyUsage.Interval> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String part : text.split(",")) {
      int dash = part.indexOf('-');
      out.add(
          new HourlyUsage.Interval(
              Long.parseLong(part.substring(0, dash)), Long.parseLong(part.substring(dash + 1))));
    }
    return out;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static AttributeValue n(double v) {
    // Double.toString is the shortest text that reads back as the same double.
    return AttributeValue.fromN(Double.toString(v));
  }

  private static byte[] gzip(JsonNode node) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      JSON.writeValue(out, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static JsonNode gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A counter as written: NaN (absent) is written by Jackson as the string "NaN". */
  private static double num(JsonNode n) {
    return n == null || n.isNull()
        ? Double.NaN
        : n.isString() ? Double.parseDouble(n.asString()) : n.asDouble();
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : Instant.parse(n.asString());
  }
}
