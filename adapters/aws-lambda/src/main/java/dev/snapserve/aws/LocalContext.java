package dev.snapserve.aws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A Lambda-like {@link Context} for running the handler outside Lambda ({@code snapserve
 * invoke-lambda}, tests, benchmarks): a fresh request id, a function name, and a deadline.
 */
public final class LocalContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final long deadlineMillis;
  private final int memoryLimitMiB;

  public LocalContext(long timeoutMillis, int memoryLimitMiB) {
    this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
    this.memoryLimitMiB = memoryLimitMiB;
  }

  public LocalContext() {
    this(30_000, 1024);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/snapserve-local";
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return "snapserve-local";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:local:000000000000:function:snapserve-local";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryLimitMiB;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.err.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.err.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
