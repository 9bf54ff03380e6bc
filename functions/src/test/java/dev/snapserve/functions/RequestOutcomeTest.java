package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.get;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the metrics hook hears: one outcome per request, with route, model, status and batch. */
class RequestOutcomeTest {
  static final List<RequestOutcome> heard = new ArrayList<>();
  static InferenceService service;
  static final String TEXT =
      Fixtures.golden("textcls-golden.json")
          .get("inputs")
          .toString()
          .transform(i -> "{\"inputs\":" + i + "}");

  @BeforeAll
  static void load() {
    service =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.demo(), Fixtures.bundle("textcls"))),
            heard::add);
  }

  @AfterAll
  static void close() {
    service.close();
  }

  @BeforeEach
  void clear() {
    heard.clear();
  }

  RequestOutcome only() {
    assertThat(heard).hasSize(1);
    return heard.get(0);
  }

  @Test
  void successfulPredict() {
    ServeResponse r = service.handle(post("/v1/models/textcls/versions/1:predict", TEXT));
    RequestOutcome o = only();
    assertThat(o.route()).isEqualTo("/v1/models/{name}:predict");
    assertThat(o.model()).isEqualTo("textcls");
    assertThat(o.version()).isEqualTo("1");
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.errorCode()).isNull();
    assertThat(o.failure()).isNull();
    assertThat(o.batchSize()).isEqualTo(3);
    assertThat(o.requestId()).isEqualTo(r.headers().get("X-Request-Id"));
  }

  @Test
  void versionedPredictAndOip() {
    String row =
        Fixtures.golden("digits-heldout.json").get("inputs").get("pixels").get(0).toString();
    service.handle(post("/v1/predict", "{\"instances\":[" + row + "," + row + "]}"));
    assertThat(only().route()).isEqualTo("/{api}/predict");
    assertThat(heard.get(0).batchSize()).isEqualTo(2);
    heard.clear();
    service.handle(
        post(
            "/v2/models/digits/infer",
            "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":"
                + row
                + "}]}"));
    assertThat(only().route()).isEqualTo("/v2/models/{name}/infer");
    assertThat(heard.get(0).batchSize()).isEqualTo(1);
  }

  @Test
  void invalidInputNamesTheModelAndCode() {
    service.handle(post("/v1/models/textcls:predict", "{\"inputs\":{\"input_ids\":[[1]]}}"));
    RequestOutcome o = only();
    assertThat(o.model()).isEqualTo("textcls");
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(o.failure()).isNull();
  }

  @Test
  void unknownRouteHasNoRouteOrModel() {
    service.handle(get("/nothing/here"));
    RequestOutcome o = only();
    assertThat(o.route()).isNull();
    assertThat(o.model()).isNull();
    assertThat(o.status()).isEqualTo(404);
    assertThat(o.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void platformRequestIdIsKept() {
    service.handle(ServeRequest.of("GET", "/v2/health/live", Map.of(), null, "aws-123"));
    assertThat(only().requestId()).isEqualTo("aws-123");
    assertThat(heard.get(0).route()).isEqualTo("/v2/health/live");
  }
}
