package dev.nimbus.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never touches the network: every request is recorded and answered with {@code
 * 200 {}}. Clients built on it run the SDK's whole request and response pipeline (endpoint rules,
 * marshalling, signing, unmarshalling) without sending anything, which is what priming before a
 * SnapStart snapshot needs: no writes, no calls to real services.
 */
final class OfflineHttpClient implements SdkHttpClient {
  private final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

  /** The requests seen so far, signed, as they would have gone out. */
  List<SdkHttpRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        SdkHttpRequest http = request.httpRequest();
        requests.add(http instanceof SdkHttpFullRequest full ? full : http.toBuilder().build());
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(200)
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .putHeader("x-amzn-RequestId", "priming")
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void close() {}

  @Override
  public String clientName() {
    return "NimbusOffline";
  }
}
