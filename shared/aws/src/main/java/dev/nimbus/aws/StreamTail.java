package dev.nimbus.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a table's DynamoDB stream the way the Lambda event source mapping would, remembering where
 * it stopped: each {@link #poll()} returns only records written since the previous poll. The local
 * run uses it to turn a run's changes into events, and tests to count stream records and feed them
 * to the ci-events handler (an emulator has no event source mapping without Docker).
 */
public final class StreamTail {
  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final Map<String, String> lastSequenceByShard = new HashMap<>();

  public StreamTail(DynamoDbClient dynamo, DynamoDbStreamsClient streams, String tableName) {
    this.streams = streams;
    this.streamArn = dynamo.describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
    if (streamArn == null) {
      throw new IllegalStateException("table " + tableName + " has no stream");
    }
  }

  /** Skips everything written so far. */
  public StreamTail skipToEnd() {
    poll();
    return this;
  }

  /** Records written since the last poll (or since the table was created), oldest first. */
  public List<software.amazon.awssdk.services.dynamodb.model.Record> poll() {
    List<software.amazon.awssdk.services.dynamodb.model.Record> out = new ArrayList<>();
    for (Shard shard :
        streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
      String after = lastSequenceByShard.get(shard.shardId());
      String iterator =
          streams
              .getShardIterator(
                  b -> {
                    b.streamArn(streamArn).shardId(shard.shardId());
                    if (after == null) {
                      b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    } else {
                      b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                          .sequenceNumber(after);
                    }
                  })
              .shardIterator();
      while (iterator != null) {
        String current = iterator;
        var response = streams.getRecords(b -> b.shardIterator(current).limit(1000));
        out.addAll(response.records());
        if (!response.records().isEmpty()) {
          lastSequenceByShard.put(
              shard.shardId(), response.records().getLast().dynamodb().sequenceNumber());
        }
        if (response.records().isEmpty()) {
          break;
        }
        iterator = response.nextShardIterator();
      }
    }
    return out;
  }

  public String streamArn() {
    return streamArn;
  }
}
