package dev.nimbus.cmdb;

import dev.nimbus.testing.aws.AwsTestEnvironment;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An HTTP client that lets one request at a time reach the emulator. DynamoDB executes each request
 * (a transaction included) atomically and isolated; moto applies a transaction item by item on
 * server threads and rolls back by swapping in a copy of the whole table, so two concurrent
 * transactions can both pass their conditions or undo each other. Serializing requests restores
 * DynamoDB's per-request atomicity, while two runs still interleave between their requests (read,
 * decide, write), which is where lost updates and duplicate history would come from.
 */
final class OneRequestAtATime implements SdkHttpClient {
  private static final ReentrantLock LOCK = new ReentrantLock();
  private final SdkHttpClient delegate = UrlConnectionHttpClient.create();

  /** A DynamoDB client for the test environment's emulator whose requests never overlap. */
  static DynamoDbClient dynamoDb(AwsTestEnvironment aws) {
    return DynamoDbClient.builder()
        .httpClient(new OneRequestAtATime())
        .region(Region.of(aws.region()))
        .endpointOverride(aws.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .build();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest call = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        // The emulator answers only after it has executed the request.
        LOCK.lock();
        try {
          return call.call();
        } finally {
          LOCK.unlock();
        }
      }

      @Override
      public void abort() {
        call.abort();
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
