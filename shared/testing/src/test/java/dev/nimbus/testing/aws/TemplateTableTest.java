package dev.nimbus.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTableTest {

  @Test
  void readsTheProjectTemplateWithItsIntrinsicTags() {
    TemplateTable table = TemplateTable.read(TemplateTable.locateTemplate());

    var request = table.createRequest("t");

    assertThat(request.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
    assertThat(request.streamSpecification().streamViewTypeAsString())
        .isEqualTo("NEW_AND_OLD_IMAGES");
    assertThat(request.globalSecondaryIndexes()).hasSize(2);
    assertThat(table.ttlAttribute()).isEqualTo("expiresAt");
    assertThat(table.pointInTimeRecovery()).isTrue();
  }

  @Test
  void refusesATemplateWithoutExactlyOneTable(@TempDir Path dir) throws Exception {
    Path template = dir.resolve("template.yaml");
    Files.writeString(
        template,
        """
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              Description: !Sub "${AWS::StackName}"
        """);

    assertThatThrownBy(() -> TemplateTable.read(template))
        .hasMessageContaining("declares 0 DynamoDB tables");
  }
}
