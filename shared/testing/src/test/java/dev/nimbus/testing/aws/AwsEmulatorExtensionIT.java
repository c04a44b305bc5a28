package dev.nimbus.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nimbus.aws.StreamTail;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

@ExtendWith(AwsEmulatorExtension.class)
class AwsEmulatorExtensionIT {

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  @Test
  void theTableHasTheShapeOfTemplateYaml(AwsTestEnvironment aws) {
    try (DynamoDbClient dynamo = aws.clients().dynamoDb()) {
      TableDescription table = dynamo.describeTable(b -> b.tableName(aws.tableName())).table();

      assertThat(table.keySchema())
          .extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
          .containsExactly("PK:HASH", "SK:RANGE");
      assertThat(table.globalSecondaryIndexes())
          .extracting(g -> g.indexName())
          .containsExactlyInAnyOrder("GSI1", "GSI2");
      assertThat(table.streamSpecification().streamViewType())
          .isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
      assertThat(
              dynamo
                  .describeTimeToLive(b -> b.tableName(aws.tableName()))
                  .timeToLiveDescription()
                  .attributeName())
          .isEqualTo("expiresAt");
    }
  }

  @Test
  void anItemWrittenIsReadBackAndAppearsOnTheStreamWithItsNewImage(AwsTestEnvironment aws) {
    try (DynamoDbClient dynamo = aws.clients().dynamoDb();
        var streams = aws.clients().dynamoDbStreams()) {
      StreamTail tail = new StreamTail(dynamo, streams, aws.tableName()).skipToEnd();

      dynamo.putItem(
          b ->
              b.tableName(aws.tableName())
                  .item(Map.of("PK", s("CONN#c1"), "SK", s("CI#qemu/101"), "name", s("web-1"))));
      var read =
          dynamo
              .getItem(
                  b ->
                      b.tableName(aws.tableName())
                          .key(Map.of("PK", s("CONN#c1"), "SK", s("CI#qemu/101")))
                          .consistentRead(true))
              .item();
      var records = tail.poll();

      assertThat(read.get("name").s()).isEqualTo("web-1");
      assertThat(records).hasSize(1);
      assertThat(records.getFirst().eventName()).isEqualTo(OperationType.INSERT);
      assertThat(records.getFirst().dynamodb().newImage().get("name").s()).isEqualTo("web-1");
      assertThat(tail.poll()).as("a second poll sees nothing new").isEmpty();
    }
  }

  @Test
  void kmsDecryptsOnlyUnderTheSameEncryptionContext(AwsTestEnvironment aws) {
    try (KmsClient kms = aws.clients().kms()) {
      Map<String, String> context = Map.of("tenant", "t1", "connection", "c1");
      SdkBytes ciphertext =
          kms.encrypt(
                  b ->
                      b.keyId(aws.keyAlias())
                          .plaintext(SdkBytes.fromUtf8String("s3cret"))
                          .encryptionContext(context))
              .ciphertextBlob();

      String plain =
          kms.decrypt(b -> b.ciphertextBlob(ciphertext).encryptionContext(context))
              .plaintext()
              .asUtf8String();

      assertThat(plain).isEqualTo("s3cret");
      assertThatThrownBy(
              () ->
                  kms.decrypt(
                      b ->
                          b.ciphertextBlob(ciphertext)
                              .encryptionContext(Map.of("tenant", "t2", "connection", "c1"))))
          .isInstanceOf(InvalidCiphertextException.class);
    }
  }
}
