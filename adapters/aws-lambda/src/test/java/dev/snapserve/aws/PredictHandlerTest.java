package dev.snapserve.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.aws.internal.EmfListener;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real handler class on real event shapes, end to end: event bytes in, response bytes out. */
class PredictHandlerTest {
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  static InferenceService service;
  static PredictHandler handler;
  static JsonNode golden = Fixtures.golden("digits-heldout.json");

  @BeforeAll
  static void start() {
    SnapserveConfig config = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    service =
        InferenceService.create(
            config,
            new EmfListener("snapserve", new PrintStream(LOG, true), () -> 1_700_000_000_000L));
    handler = new PredictHandler(service);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static JsonNode invoke(String event) throws IOException {
    try (InputStream in = PredictHandlerTest.class.getResourceAsStream("/" + event)) {
      assertThat(in).as(event).isNotNull();
      return invoke(in.readAllBytes());
    }
  }

  static JsonNode invoke(byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new LocalContext());
    return Fixtures.json(out.toByteArray());
  }

  static JsonNode body(JsonNode response) {
    return Fixtures.json(response.get("body").asText().getBytes(StandardCharsets.UTF_8));
  }

  static void assertGoldenRow0(JsonNode predictions) {
    JsonNode expected = golden.get("outputs").get("logits").get(0);
    assertThat(Fixtures.maxAbsDiff(predictions, expected)).isLessThanOrEqualTo(1e-5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apigw-http-v2/predict.json",
        "apigw-rest-v1/predict.json",
        "function-url/predict.json",
        "alb/predict.json"
      })
  void predictsFromEveryHttpFrontDoor(String event) throws IOException {
    JsonNode r = invoke(event);
    assertThat(r.get("statusCode").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(r.get("headers").get("X-Model-Name").asText()).isEqualTo("digits");
    assertThat(r.get("headers").get("X-Model-Version").asText()).isEqualTo("1");
    assertGoldenRow0(body(r).get("predictions").get(0));
  }

  @Test
  void restApiAndHttpApiEchoTheGatewayRequestId() throws IOException {
    assertThat(invoke("apigw-rest-v1/predict.json").get("headers").get("X-Request-Id").asText())
        .isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    assertThat(invoke("apigw-http-v2/predict.json").get("headers").get("X-Request-Id").asText())
        .isEqualTo("JKJaXmPLvHcESHA=");
  }

  @Test
  void base64BodyOnNamedStageReachesTheOipRoute() throws IOException {
    JsonNode r = invoke("apigw-http-v2/oip-base64-named-stage.json");
    assertThat(r.get("statusCode").asInt()).as(r.toString()).isEqualTo(200);
    JsonNode b = body(r);
    assertThat(b.get("id").asText()).isEqualTo("req-7");
    assertThat(b.get("model_name").asText()).isEqualTo("digits");
    assertGoldenRow0(b.get("outputs").get(0).get("data"));
  }

  @Test
  void albAnswersWithStatusDescriptionAndMatchingHeaderStyle() throws IOException {
    JsonNode single = invoke("alb/predict.json");
    assertThat(single.get("statusDescription").asText()).isEqualTo("200 OK");
    assertThat(single.has("headers")).isTrue();

    JsonNode multi = invoke("alb/predict-multi-value-headers.json");
    assertThat(multi.get("statusCode").asInt()).as(multi.toString()).isEqualTo(200);
    assertThat(multi.has("headers")).isFalse();
    assertThat(multi.get("multiValueHeaders").get("Content-Type").get(0).asText())
        .isEqualTo("application/json");
    assertGoldenRow0(body(multi).get("predictions").get(0));
  }

  @Test
  void getRoutesWork() throws IOException {
    JsonNode r = invoke("apigw-http-v2/get-metadata.json");
    assertThat(r.get("statusCode").asInt()).isEqualTo(200);
    assertThat(
            body(r)
                .at("/metadata/signature_def/signature_def/serving_default/inputs/pixels/dtype")
                .asText())
        .isEqualTo("DT_FLOAT");
  }

  @Test
  void badEventsGetClearErrorsAndTheHandlerKeepsServing() throws IOException {
    JsonNode malformed = invoke("apigw-http-v2/malformed-json.json");
    assertThat(malformed.get("statusCode").asInt()).isEqualTo(400);
    assertThat(body(malformed).get("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(body(malformed).get("error").asText()).contains("malformed JSON");

    JsonNode badBase64 = invoke("apigw-http-v2/bad-base64.json");
    assertThat(badBase64.get("statusCode").asInt()).isEqualTo(400);
    assertThat(body(badBase64).get("error").asText()).contains("base64");

    JsonNode sqs = invoke("other/sqs-event.json");
    assertThat(sqs.get("statusCode").asInt()).isEqualTo(400);
    assertThat(body(sqs).get("error").asText()).contains("unrecognized event");
    assertThat(body(sqs).get("requestId").asText()).isNotBlank();

    JsonNode notJson = invoke("{\"version\": \"2.0\", ".getBytes(StandardCharsets.UTF_8));
    assertThat(notJson.get("statusCode").asInt()).isEqualTo(400);
    assertThat(body(notJson).get("error").asText()).contains("not valid JSON");

    for (JsonNode r : List.of(malformed, badBase64, sqs, notJson)) {
      assertThat(r.get("body").asText()).doesNotContain("at dev.").doesNotContain("Exception");
    }
    assertThat(invoke("apigw-http-v2/predict.json").get("statusCode").asInt()).isEqualTo(200);
  }

  @Test
  void everyRequestLogsOneEmfLineWithModelVersionDimensions() throws IOException {
    LOG.reset();
    invoke("apigw-http-v2/predict.json");
    invoke("apigw-http-v2/malformed-json.json");
    String[] lines = LOG.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode ok = Fixtures.json(lines[0].getBytes(StandardCharsets.UTF_8));
    JsonNode cw = ok.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(cw.get("Namespace").asText()).isEqualTo("snapserve");
    assertThat(cw.get("Dimensions").toString()).isEqualTo("[[\"Model\",\"ModelVersion\"]]");
    assertThat(ok.get("_aws").get("Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
    assertThat(ok.get("Model").asText()).isEqualTo("digits");
    assertThat(ok.get("ModelVersion").asText()).isEqualTo("1");
    assertThat(ok.get("BatchSize").asInt()).isEqualTo(1);
    assertThat(ok.get("Errors").asInt()).isZero();
    assertThat(ok.get("Latency").asDouble()).isPositive();
    assertThat(ok.get("requestId").asText()).isEqualTo("JKJaXmPLvHcESHA=");

    JsonNode bad = Fixtures.json(lines[1].getBytes(StandardCharsets.UTF_8));
    assertThat(bad.get("Errors").asInt()).isEqualTo(1);
    assertThat(bad.get("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(bad.get("level").asText()).isEqualTo("WARN");
  }

  @Test
  void noArgBootLoadsTheBundleFromTheTaskRootAndPrimes(@TempDir Path taskRoot) throws IOException {
    Path model = Files.createDirectories(taskRoot.resolve("model"));
    for (String f : List.of("manifest.json", "model.onnx")) {
      Files.copy(Fixtures.demo().resolve(f), model.resolve(f));
    }
    try (InferenceService booted =
        PredictHandler.boot(
            Map.of("LAMBDA_TASK_ROOT", taskRoot.toString(), "SNAPSERVE_PRIME_ITERATIONS", "2"))) {
      assertThat(booted.models())
          .extracting(m -> m.name() + "@" + m.version())
          .containsExactly("digits@1");
    }
  }

  @Test
  void snapStartHookPrimesBeforeCheckpointAndReseedsAfterRestore() {
    var hook = new dev.snapserve.aws.internal.SnapStartHook();
    hook.attach(service, 3);
    LOG.reset();
    hook.beforeCheckpoint(null);
    // 3 iterations x (OIP + TF Serving + /v1/predict) for one model
    assertThat(hook.primed()).isEqualTo(3 * 3);
    assertThat(LOG.size()).as("priming requests are not reported as metrics").isZero();
    hook.afterRestore(null);
    assertThat(service.handle(Fixtures.get("/v2/health/ready")).headers().get("X-Request-Id"))
        .as("a request id is still generated after restore")
        .isNotBlank();
  }
}
