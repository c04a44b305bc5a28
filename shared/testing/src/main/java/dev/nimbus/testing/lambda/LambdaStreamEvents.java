package dev.nimbus.testing.lambda;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns DynamoDB stream records read with the SDK into the JSON Lambda hands a stream function (a
 * {@code DynamodbEvent}), as the event source mapping would.
 */
public final class LambdaStreamEvents {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LambdaStreamEvents() {}

  public static String toJson(List<Record> records, String streamArn) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("Records");
    for (Record r : records) {
      ObjectNode rec = array.addObject();
      rec.put("eventID", r.eventID());
      rec.put("eventName", r.eventNameAsString());
      rec.put("eventVersion", "1.1");
      rec.put("eventSource", "aws:dynamodb");
      rec.put("awsRegion", r.awsRegion() == null ? "us-east-1" : r.awsRegion());
      rec.put("eventSourceARN", streamArn);
      ObjectNode ddb = rec.putObject("dynamodb");
      if (r.dynamodb().approximateCreationDateTime() != null) {
        ddb.put(
            "ApproximateCreationDateTime",
            r.dynamodb().approximateCreationDateTime().getEpochSecond());
      }
      ddb.set("Keys", image(r.dynamodb().keys()));
      if (r.dynamodb().hasNewImage()) {
        ddb.set("NewImage", image(r.dynamodb().newImage()));
      }
      if (r.dynamodb().hasOldImage()) {
        ddb.set("OldImage", image(r.dynamodb().oldImage()));
      }
      ddb.put("SequenceNumber", r.dynamodb().sequenceNumber());
      ddb.put("SizeBytes", r.dynamodb().sizeBytes() == null ? 0 : r.dynamodb().sizeBytes());
      ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    }
    return JSON.writeValueAsString(root);
  }

  private static ObjectNode image(Map<String, AttributeValue> image) {
    ObjectNode node = JSON.createObjectNode();
    image.forEach((k, v) -> node.set(k, value(v)));
    return node;
  }

  private static ObjectNode value(AttributeValue v) {
    ObjectNode node = JSON.createObjectNode();
    switch (v.type()) {
      case S -> node.put("S", v.s());
      case N -> node.put("N", v.n());
      case B -> node.put("B", base64(v.b()));
      case BOOL -> node.put("BOOL", v.bool());
      case NUL -> node.put("NULL", true);
      case M -> node.set("M", image(v.m()));
      case L -> {
        ArrayNode list = node.putArray("L");
        v.l().forEach(e -> list.add(value(e)));
      }
      case SS -> {
        ArrayNode list = node.putArray("SS");
        v.ss().forEach(list::add);
      }
      case NS -> {
        ArrayNode list = node.putArray("NS");
        v.ns().forEach(list::add);
      }
      case BS -> {
        ArrayNode list = node.putArray("BS");
        v.bs().forEach(b -> list.add(base64(b)));
      }
      default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
    }
    return node;
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }
}
