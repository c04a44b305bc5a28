package dev.nimbus.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts the Lambda event's stream records (the Lambda events library has its own attribute value
 * type) into {@link ChangeRecord}s with SDK attribute values, which the CMDB's codec reads. The
 * only class besides the function bean that sees a Lambda event type.
 */
final class LambdaStreamRecords {
  private LambdaStreamRecords() {}

  static List<ChangeRecord> of(DynamodbEvent event) {
    List<ChangeRecord> out = new ArrayList<>();
    if (event == null || event.getRecords() == null) {
      return out;
    }
    for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
      var stream = r.getDynamodb();
      out.add(
          new ChangeRecord(
              r.getEventID(),
              r.getEventName(),
              stream == null ? "" : stream.getSequenceNumber(),
              stream == null ? null : image(stream.getNewImage()),
              stream == null ? null : image(stream.getOldImage())));
    }
    return out;
  }

  private static Map<String, AttributeValue> image(
      Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
          image) {
    if (image == null) {
      return null;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    image.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  private static AttributeValue value(
      com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
    if (v.getS() != null) {
      return AttributeValue.fromS(v.getS());
    }
    if (v.getN() != null) {
      return AttributeValue.fromN(v.getN());
    }
    if (v.getB() != null) {
      return AttributeValue.fromB(bytes(v.getB()));
    }
    if (v.getBOOL() != null) {
      return AttributeValue.fromBool(v.getBOOL());
    }
    if (Boolean.TRUE.equals(v.getNULL())) {
      return AttributeValue.fromNul(true);
    }
    if (v.getM() != null) {
      return AttributeValue.fromM(image(v.getM()));
    }
    if (v.getL() != null) {
      return AttributeValue.fromL(v.getL().stream().map(LambdaStreamRecords::value).toList());
    }
    if (v.getSS() != null) {
      return AttributeValue.fromSs(v.getSS());
    }
    if (v.getNS() != null) {
      return AttributeValue.fromNs(v.getNS());
    }
    if (v.getBS() != null) {
      return AttributeValue.fromBs(v.getBS().stream().map(LambdaStreamRecords::bytes).toList());
    }
    throw new IllegalArgumentException("attribute value of no known type");
  }

  private static SdkBytes bytes(ByteBuffer buffer) {
    return SdkBytes.fromByteBuffer(buffer.duplicate());
  }
}
