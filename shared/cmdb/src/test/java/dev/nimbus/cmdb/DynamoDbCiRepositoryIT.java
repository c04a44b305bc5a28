package dev.nimbus.cmdb;

import dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository;
import dev.nimbus.testing.aws.AwsEmulatorExtension;
import dev.nimbus.testing.aws.AwsTestEnvironment;
import org.junit.jupiter.api.extension.ExtendWith;

/** The repository contract on the DynamoDB repository, against the emulator's table. */
@ExtendWith(AwsEmulatorExtension.class)
class DynamoDbCiRepositoryIT extends CiRepositoryContract {
  private final CiRepository repository;

  DynamoDbCiRepositoryIT(AwsTestEnvironment aws) {
    this.repository =
        new DynamoDbCiRepository(
            aws.clients().dynamoDb(), aws.tableName(), CmdbSettings.defaults());
  }

  @Override
  CiRepository repository() {
    return repository;
  }
}
