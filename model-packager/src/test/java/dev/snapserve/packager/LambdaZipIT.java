package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.snapserve.functions.Fixtures;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda zip run the way the java21 managed runtime runs it: unzipped into an empty directory
 * (the task root), in a fresh JVM whose classpath holds only the runtime's own jars (the real AWS
 * Lambda Runtime Interface Client, as in /var/runtime/lib), whose class loader then loads the
 * function from the task root and {@code lib/*.jar} only. The RIC talks to a loopback
 * implementation of the Lambda Runtime API that hands it a real API Gateway HTTP API event.
 */
class LambdaZipIT {
  static final String API = "/2018-06-01/runtime";
  static final int ROW = 7;

  @TempDir Path tmp;

  @Test
  void theUnzippedFunctionAnswersAnApiGatewayEventInTheRealRuntimeClient() throws Exception {
    PackageResult packed =
        Packager.pack(
            PackageRequest.builder(Fixtures.demo(), PackageRequest.Target.LAMBDA)
                // this machine's: the zip keeps only its natives, and runs here
                .arch(EndpointImageRequest.Arch.host().packageArch())
                .outputDir(tmp.resolve("dist"))
                .build(),
            Progress.NONE);
    Path task = Files.createDirectories(tmp.resolve("task"));
    unzip(packed.artifact(), task);

    JsonNode heldOut = Fixtures.golden("digits-heldout.json");
    ObjectNode event =
        (ObjectNode)
            Fixtures.readJson(Fixtures.ROOT.resolve("examples/events/apigw-http-v2-predict.json"));
    JsonNode row = heldOut.get("inputs").get("pixels").get(ROW);
    event.put("body", "{\"instances\":[" + row + "]}");

    RuntimeApi api = new RuntimeApi(Fixtures.JSON.writeValueAsBytes(event));
    List<Path> runtimeJars =
        ChildJvm.testJars(
            "aws-lambda-java-runtime-interface-client-",
            "aws-lambda-java-core-",
            "aws-lambda-java-serialization-",
            "utils-lite-",
            "annotations-");
    assertThat(runtimeJars).noneMatch(p -> p.getFileName().toString().startsWith("snapserve"));
    try (api;
        ChildJvm jvm =
            ChildJvm.start(
                task,
                Path.of("target", "lambda-runtime.log").toAbsolutePath(),
                Map.of(
                    "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port(),
                    "LAMBDA_TASK_ROOT", task.toString(),
                    "_HANDLER", packed.entryPoint(),
                    "AWS_LAMBDA_FUNCTION_NAME", "digits-1",
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048",
                    "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
                    "AWS_REGION", "us-east-1"),
                List.of(
                    "-cp",
                    String.join(
                        File.pathSeparator, runtimeJars.stream().map(Path::toString).toList()),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    packed.entryPoint()))) {
      String response;
      try {
        response = api.response.get(120, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no response; runtime log:\n" + jvm.output(), e);
      }
      assertThat(api.errors).as(jvm.output()).hasValue(0);
      JsonNode lambdaResponse = Fixtures.json(response.getBytes(StandardCharsets.UTF_8));
      assertThat(lambdaResponse.get("statusCode").asInt()).as(response).isEqualTo(200);
      JsonNode body =
          Fixtures.json(lambdaResponse.get("body").asText().getBytes(StandardCharsets.UTF_8));
      JsonNode logits = body.get("predictions").get(0);
      assertThat(argMax(logits)).isEqualTo(heldOut.get("labels").get(ROW).asInt());
      assertThat(Fixtures.maxAbsDiff(logits, heldOut.get("outputs").get("logits").get(ROW)))
          .isLessThanOrEqualTo(1e-5);
    }
  }

  static int argMax(JsonNode values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i).asDouble() > values.get(best).asDouble()) best = i;
    }
    return best;
  }

  static void unzip(Path zip, Path dir) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry e : file.stream().toList()) {
        Path target = dir.resolve(e.getName()).normalize();
        assertThat(target.startsWith(dir)).as(e.getName()).isTrue();
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(e)) {
          Files.copy(in, target);
        }
      }
    }
  }

  /**
   * The Lambda Runtime API on loopback: the first {@code next} returns the event, later ones wait
   * (as Lambda's do between invocations) until the test ends.
   */
  static final class RuntimeApi implements AutoCloseable {
    static final String REQUEST_ID = "8f507cfc-example-4697-b07a-ac58fc914c95";
    final CompletableFuture<String> response = new CompletableFuture<>();
    final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger nexts = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer server;

    RuntimeApi(byte[] event) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(threads);
      server.createContext(API + "/invocation/next", x -> next(x, event));
      server.createContext(
          API + "/invocation/" + REQUEST_ID + "/response",
          x -> {
            response.complete(
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(x, 202, "{\"status\":\"OK\"}");
          });
      server.createContext(
          API + "/invocation/" + REQUEST_ID + "/error",
          x -> {
            errors.incrementAndGet();
            response.complete(
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(x, 202, "{\"status\":\"OK\"}");
          });
      server.createContext(
          API + "/init/error",
          x -> {
            errors.incrementAndGet();
            response.complete(
                "init error: "
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(x, 202, "{\"status\":\"OK\"}");
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private void next(HttpExchange x, byte[] event) throws IOException {
      if (nexts.getAndIncrement() > 0) {
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        x.close();
        return;
      }
      var h = x.getResponseHeaders();
      h.add("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
      h.add(
          "Lambda-Runtime-Deadline-Ms",
          Long.toString(Instant.now().plusSeconds(30).toEpochMilli()));
      h.add(
          "Lambda-Runtime-Invoked-Function-Arn",
          "arn:aws:lambda:us-east-1:123456789012:function:digits-1");
      h.add(
          "Lambda-Runtime-Trace-Id",
          "Root=1-6740a2a4-5a0b9c1d2e3f405162738495;Parent=53995c3f42cd8ad8;Sampled=0");
      h.add("Content-Type", "application/json");
      x.sendResponseHeaders(200, event.length);
      x.getResponseBody().write(event);
      x.close();
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, bytes.length);
      x.getResponseBody().write(bytes);
      x.close();
    }

    @Override
    public void close() {
      closed.countDown();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
