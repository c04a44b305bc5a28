package dev.nimbus.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.MDC;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The Lambda handler of every Nimbus function ({@code template.yaml}, Globals: {@code
 * dev.nimbus.aws.lambda.LambdaHandler::handleRequest}): Spring Cloud Function's {@link
 * FunctionInvoker}, with the invocation's request id and function name in the MDC for the whole
 * invocation, so every log line it causes (the framework's too) names the request. Lambda runs one
 * invocation at a time per instance, on one thread; the context is cleared afterwards so the next
 * invocation does not inherit it.
 */
public class LambdaHandler extends FunctionInvoker {

  public LambdaHandler() {
    super();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    MDC.clear();
    if (context != null) {
      if (context.getAwsRequestId() != null) {
        MDC.put(LogContext.REQUEST_ID, context.getAwsRequestId());
      }
      if (context.getFunctionName() != null) {
        MDC.put(LogContext.FUNCTION, context.getFunctionName());
      }
    }
    try {
      super.handleRequest(input, output, context);
    } finally {
      MDC.clear();
    }
  }
}
