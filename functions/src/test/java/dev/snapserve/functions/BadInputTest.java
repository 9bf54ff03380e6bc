package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.get;
import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything a caller can get wrong: each answer is a coded error with the one error body, never a
 * 500 or a stack trace, and the service keeps answering correctly afterwards.
 */
class BadInputTest {
  static final JsonNode DIGITS = Fixtures.golden("digits-heldout.json");
  static final JsonNode TEXT = Fixtures.golden("textcls-golden.json");
  static final List<RequestOutcome> OUTCOMES = Collections.synchronizedList(new ArrayList<>());
  static InferenceService service;

  @BeforeAll
  static void load() {
    service =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(
                    List.of(
                        Fixtures.demo(), Fixtures.bundle("textcls"), Fixtures.bundle("seqpool")))
                .withRouting(null, "digits:stable=1"),
            OUTCOMES::add);
  }

  @AfterAll
  static void close() {
    service.close();
  }

  /** A bad request and what its answer must say. */
  record Bad(String what, ServeRequest request, ErrorCode code, List<String> mentions) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Bad bad(String what, ServeRequest r, ErrorCode code, String... mentions) {
    return new Bad(what, r, code, List.of(mentions));
  }

  static String pixels(int row) {
    return DIGITS.get("inputs").get("pixels").get(row).toString();
  }

  static String replaceFirst(String json, String literal, String replacement) {
    int at = json.indexOf(literal);
    assertThat(at).as("%s in %s", literal, json).isNotNegative();
    return json.substring(0, at) + replacement + json.substring(at + literal.length());
  }

  static String rowsOf(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(pixels(i % 100));
    return b.append(']').toString();
  }

  static ServeRequest text(String body) {
    return post("/v1/models/textcls:predict", body);
  }

  static Stream<Bad> cases() {
    String row = pixels(0);
    String ids = TEXT.get("inputs").get("input_ids").toString();
    String mask = TEXT.get("inputs").get("attention_mask").toString();
    ErrorCode bad = ErrorCode.INVALID_INPUT;
    return Stream.of(
        // ---- the body as a whole
        bad(
            "malformed JSON",
            post("/v1/predict", "{\"instances\": [[1,2,}"),
            bad,
            "malformed JSON"),
        bad("empty body", post("/v1/predict", ""), bad, "empty"),
        bad("JSON array body", post("/v1/predict", "[" + row + "]"), bad, "must be a JSON object"),
        bad("JSON string body", post("/v1/predict", "\"hello\""), bad, "must be a JSON object"),
        bad(
            "trailing garbage",
            post("/v1/predict", "{\"instances\":[" + row + "]} trailing"),
            bad,
            "JSON"),
        bad(
            "second JSON object",
            post("/v1/predict", "{\"instances\":[" + row + "]}{}"),
            bad,
            "after the JSON object"),
        bad(
            "OIP trailing garbage",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":"
                    + row
                    + "}]}]"),
            bad,
            "JSON"),
        bad("no instances or inputs", post("/v1/predict", "{\"rows\":[]}"), bad, "instances"),
        bad("empty instances", post("/v1/predict", "{\"instances\":[]}"), bad, "empty"),
        bad(
            "instances not a list",
            post("/v1/predict", "{\"instances\":{\"a\":1}}"),
            bad,
            "must be a list"),
        bad(
            "both instances and inputs",
            post("/v1/predict", "{\"instances\":[" + row + "],\"inputs\":[" + row + "]}"),
            bad,
            "not both"),
        bad("OIP without inputs", post("/v2/models/digits/infer", "{\"id\":\"1\"}"), bad, "inputs"),
        bad(
            "OIP inputs not a list",
            post("/v2/models/digits/infer", "{\"inputs\":{\"pixels\":[1]}}"),
            bad,
            "list"),
        bad(
            "OIP input without shape",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"FP32\",\"data\":" + row + "}]}"),
            bad,
            "name, shape, datatype and data"),
        bad(
            "OIP negative shape",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[-1,64],\"datatype\":\"FP32\",\"data\":"
                    + row
                    + "}]}"),
            bad,
            "negative"),
        // ---- transport
        bad(
            "wrong content type",
            ServeRequest.of(
                "POST",
                "/v1/predict",
                Map.of("Content-Type", "text/plain"),
                Fixtures.bytes("{\"instances\":[" + row + "]}"),
                null),
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "text/plain",
            "application/json"),
        bad("unknown route", get("/v3/nothing"), ErrorCode.NOT_FOUND, "no route"),
        bad("unknown POST route", post("/predict", "{}"), ErrorCode.NOT_FOUND, "no route"),
        bad("unknown v2 route", get("/v2/models"), ErrorCode.NOT_FOUND, "no route"),
        bad(
            "unknown v2 model action",
            get("/v2/models/digits/explain"),
            ErrorCode.NOT_FOUND,
            "no route"),
        bad(
            "unknown model (TF)",
            post("/v1/models/nope:predict", "{\"instances\":[" + row + "]}"),
            ErrorCode.NOT_FOUND,
            "'nope'",
            "digits"),
        bad(
            "unknown model (OIP)",
            post("/v2/models/nope/infer", "{}"),
            ErrorCode.NOT_FOUND,
            "'nope'"),
        bad(
            "unknown model metadata",
            get("/v1/models/nope/metadata"),
            ErrorCode.NOT_FOUND,
            "'nope'"),
        bad(
            "unknown version (TF)",
            post("/v1/models/digits/versions/9:predict", "{\"instances\":[" + row + "]}"),
            ErrorCode.NOT_FOUND,
            "'9'",
            "[1]"),
        bad(
            "unknown version (OIP)",
            get("/v2/models/digits/versions/9"),
            ErrorCode.NOT_FOUND,
            "'9'"),
        bad(
            "unknown label",
            post("/v1/models/digits/labels/canary:predict", "{\"instances\":[" + row + "]}"),
            ErrorCode.NOT_FOUND,
            "'canary'",
            "stable"),
        bad(
            "label of an unknown model",
            get("/v1/models/nope/labels/stable"),
            ErrorCode.NOT_FOUND,
            "'nope'"),
        bad("unknown API version", post("/v9/predict", "{}"), ErrorCode.NOT_FOUND, "'v9'"),
        // ---- element values
        bad(
            "string for FP32",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "\"0\"") + "]}"),
            bad,
            "pixels",
            "a string",
            "FP32"),
        bad(
            "null for FP32",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "null") + "]}"),
            bad,
            "pixels",
            "null"),
        bad(
            "boolean for FP32",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "true") + "]}"),
            bad,
            "pixels",
            "a boolean"),
        bad(
            "object inside a FP32 tensor",
            post("/v1/predict", "{\"inputs\":[" + replaceFirst(row, "0", "{\"a\":1}") + "]}"),
            bad,
            "pixels",
            "an object"),
        bad(
            "fractional INT64",
            text("{\"inputs\":{\"input_ids\":[[1.5,2]],\"attention_mask\":[[1,1]]}}"),
            bad,
            "input_ids",
            "1.5",
            "INT64"),
        bad(
            "INT64 above range",
            text("{\"inputs\":{\"input_ids\":[[9223372036854775808]],\"attention_mask\":[[1]]}}"),
            bad,
            "input_ids",
            "out of range for INT64"),
        bad(
            "INT64 below range",
            text("{\"inputs\":{\"input_ids\":[[1]],\"attention_mask\":[[-99999999999999999999]]}}"),
            bad,
            "attention_mask",
            "out of range for INT64"),
        bad(
            "string for INT64",
            text("{\"inputs\":{\"input_ids\":[[\"5\"]],\"attention_mask\":[[1]]}}"),
            bad,
            "input_ids",
            "INT64"),
        bad(
            "NaN refused by default",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "NaN") + "]}"),
            bad,
            "pixels",
            "NaN",
            "SNAPSERVE_ALLOW_NON_FINITE"),
        bad(
            "Infinity refused by default",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "-Infinity") + "]}"),
            bad,
            "pixels",
            "Infinity"),
        bad(
            "FP32 overflow is non-finite",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0", "1e39") + "]}"),
            bad,
            "pixels",
            "non-finite"),
        bad(
            "token id out of vocabulary",
            text("{\"inputs\":{\"input_ids\":[[5,100]],\"attention_mask\":[[1,1]]}}"),
            bad,
            "could not run"),
        // ---- shapes
        bad(
            "wrong rank (row)",
            post("/v1/predict", "{\"instances\":[[" + row + "]]}"),
            bad,
            "pixels",
            "rank 3",
            "rank 2"),
        bad(
            "wrong rank (columnar vector)",
            post("/v1/predict", "{\"inputs\":" + row + "}"),
            bad,
            "pixels",
            "rank 1"),
        bad(
            "wrong rank (OIP)",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[64],\"datatype\":\"FP32\",\"data\":"
                    + row
                    + "}]}"),
            bad,
            "pixels",
            "rank 1"),
        bad(
            "wrong static dim",
            post("/v1/predict", "{\"instances\":[" + replaceFirst(row, "0,", "") + "]}"),
            bad,
            "pixels",
            "[1, 63]",
            "dimension 1 must be 64"),
        bad(
            "wrong static dim (OIP)",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[2,32],\"datatype\":\"FP32\",\"data\":"
                    + row
                    + "}]}"),
            bad,
            "dimension 1 must be 64"),
        bad(
            "ragged rows",
            post("/v1/predict", "{\"inputs\":[" + row + "," + replaceFirst(row, "0,", "") + "]}"),
            bad,
            "pixels",
            "ragged"),
        bad(
            "ragged instances",
            post(
                "/v1/predict", "{\"instances\":[" + row + "," + replaceFirst(row, "0,", "") + "]}"),
            bad,
            "pixels",
            "instance 1"),
        bad(
            "ragged nesting depth",
            post("/v1/models/seqpool:predict", "{\"inputs\":[[[1,2,3,4],5]]}"),
            bad,
            "frames",
            "ragged"),
        bad(
            "mismatched batch sizes",
            text(
                "{\"inputs\":{\"input_ids\":"
                    + ids
                    + ",\"attention_mask\":"
                    + TEXT.get("inputs")
                        .get("attention_mask")
                        .get(0)
                        .toString()
                        .transform(m -> "[" + m + "]")
                    + "}}"),
            bad,
            "batch sizes differ",
            "input_ids",
            "attention_mask"),
        bad(
            "mismatched sequence lengths",
            text("{\"inputs\":{\"input_ids\":[[5,17,42]],\"attention_mask\":[[1,1]]}}"),
            bad,
            "input_ids",
            "attention_mask",
            "'sequence'",
            "3 vs 2"),
        bad(
            "mismatched sequence lengths (row)",
            text("{\"instances\":[{\"input_ids\":[5,17,42],\"attention_mask\":[1,1,1,1]}]}"),
            bad,
            "'sequence'"),
        bad(
            "batch above the limit (row)",
            post("/v1/predict", "{\"instances\":" + rowsOf(257) + "}"),
            bad,
            "batch size 257",
            "256",
            "SNAPSERVE_MAX_BATCH_SIZE"),
        bad(
            "batch above the limit (columnar)",
            post("/v1/predict", "{\"inputs\":" + rowsOf(300) + "}"),
            bad,
            "batch size 300",
            "256"),
        bad(
            "element count overflowing the OIP shape",
            post(
                "/v2/models/seqpool/infer",
                "{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,4611686018427387904,4],"
                    + "\"datatype\":\"FP32\",\"data\":[]}]}"),
            bad,
            "frames",
            "too many elements"),
        bad(
            "zero-size batch",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[0,64],\"datatype\":\"FP32\","
                    + "\"data\":[]}]}"),
            bad,
            "pixels",
            "empty"),
        // ---- names
        bad(
            "unknown input name",
            post("/v1/predict", "{\"inputs\":{\"image\":[" + row + "]}}"),
            bad,
            "unknown input 'image'",
            "pixels"),
        bad(
            "unknown input name (OIP)",
            post(
                "/v2/models/digits/infer",
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":"
                    + row
                    + "}]}"),
            bad,
            "unknown input 'image'"),
        bad(
            "missing input (columnar)",
            text("{\"inputs\":{\"input_ids\":" + ids + "}}"),
            bad,
            "missing input 'attention_mask'"),
        bad(
            "missing input (row)",
            text("{\"instances\":[{\"input_ids\":[1,2]}]}"),
            bad,
            "lacks input 'attention_mask'"),
        bad(
            "unnamed instances for a two-input model",
            text("{\"instances\":[[1,2]]}"),
            bad,
            "2 inputs",
            "keyed by input name"),
        bad(
            "duplicate input (columnar)",
            text("{\"inputs\":{\"input_ids\":" + ids + ",\"input_ids\":" + ids + "}}"),
            bad,
            "'input_ids' is given twice"),
        bad(
            "duplicate input (row)",
            text(
                "{\"instances\":[{\"input_ids\":[1,2],\"attention_mask\":[1,1],"
                    + "\"input_ids\":[3,4]}]}"),
            bad,
            "'input_ids' is given twice in instance 0"),
        bad(
            "duplicate input (OIP)",
            post(
                "/v2/models/textcls/infer",
                "{\"inputs\":["
                    + oipText("input_ids", ids)
                    + ","
                    + oipText("attention_mask", mask)
                    + ","
                    + oipText("input_ids", ids)
                    + "]}"),
            bad,
            "'input_ids' is given twice"),
        bad(
            "duplicate input, data first (OIP)",
            post(
                "/v2/models/textcls/infer",
                "{\"inputs\":["
                    + oipText("input_ids", ids)
                    + ",{\"data\":"
                    + ids
                    + ",\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[3,5]}"
                    + ","
                    + oipText("attention_mask", mask)
                    + "]}"),
            bad,
            "'input_ids' is given twice"));
  }

  static String oipText(String name, String data) {
    return "{\"name\":\""
        + name
        + "\",\"datatype\":\"INT64\",\"shape\":[3,5],\"data\":"
        + data
        + "}";
  }

  static Stream<Arguments> badRequests() {
    return cases().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestAnswersWithTheErrorContract(Bad c) {
    ServeResponse r = service.handle(c.request());
    assertError(r, c.code(), c.mentions());
  }

  /** The one error body: exactly error, code, requestId; the id matches the header. */
  static JsonNode assertError(ServeResponse r, ErrorCode code, List<String> mentions) {
    String text = r.bodyText();
    assertThat(r.status()).as(text).isEqualTo(code.httpStatus());
    // no stack trace, and no internals (class names, native source paths) in the message
    assertThat(text).doesNotContain("at dev.", "at com.", "Exception", "\\n\\t", "onnxruntime_src");
    JsonNode body = json(r.body());
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("error", "code", "requestId");
    assertThat(body.get("code").asText()).isEqualTo(code.name());
    assertThat(body.get("requestId").asText())
        .isNotBlank()
        .isEqualTo(r.headers().get("X-Request-Id"));
    assertThat(body.get("error").asText()).contains(mentions);
    assertThat(r.headers()).containsEntry("Content-Type", "application/json");
    return body;
  }

  @Test
  void wrongMethodIs405WithAllowHeader() {
    record Case(String method, String path, String allow) {}
    for (Case c :
        List.of(
            new Case("GET", "/v1/predict", "POST"),
            new Case("PUT", "/v1/models/digits:predict", "POST"),
            new Case("GET", "/v2/models/digits/infer", "POST"),
            new Case("POST", "/v2/health/live", "GET"),
            new Case("DELETE", "/v1/models/digits/metadata", "GET"),
            new Case("POST", "/v1/models/digits", "GET"),
            new Case("GET", "/v2/repository/index", "POST"))) {
      ServeResponse r =
          service.handle(ServeRequest.of(c.method(), c.path(), Map.of(), new byte[0], null));
      assertError(r, ErrorCode.METHOD_NOT_ALLOWED, List.of(c.method(), c.allow()));
      assertThat(r.headers()).as("%s %s", c.method(), c.path()).containsEntry("Allow", c.allow());
    }
  }

  @Test
  void payloadAboveTheLimitIs413() {
    String one = "{\"instances\":[" + pixels(0) + "]}";
    String three = "{\"instances\":[" + pixels(0) + "," + pixels(1) + "," + pixels(2) + "]}";
    long limit = one.length() + 10;
    assertThat(three.length()).isGreaterThan((int) limit);
    SnapserveConfig small =
        SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo())).withMaxPayloadBytes(limit);
    try (InferenceService s = InferenceService.create(small, o -> {})) {
      assertError(
          s.handle(post("/v1/predict", three)),
          ErrorCode.PAYLOAD_TOO_LARGE,
          List.of(three.length() + " bytes", "limit is " + limit, "SNAPSERVE_MAX_PAYLOAD_BYTES"));
      assertError(
          s.handle(post("/v2/models/digits/infer", three)),
          ErrorCode.PAYLOAD_TOO_LARGE,
          List.of("SNAPSERVE_MAX_PAYLOAD_BYTES"));
      // under the limit: fine
      assertThat(s.handle(post("/v1/predict", one)).status()).isEqualTo(200);
    }
  }

  @Test
  void configuredBatchLimitApplies() {
    Map<String, String> env = new HashMap<>();
    env.put("SNAPSERVE_MAX_BATCH_SIZE", "2");
    SnapserveConfig config = SnapserveConfig.fromEnv(env).withBundles(List.of(Fixtures.demo()));
    try (InferenceService s = InferenceService.create(config, o -> {})) {
      assertThat(s.handle(post("/v1/predict", "{\"instances\":" + rowsOf(2) + "}")).status())
          .isEqualTo(200);
      assertError(
          s.handle(post("/v1/predict", "{\"instances\":" + rowsOf(3) + "}")),
          ErrorCode.INVALID_INPUT,
          List.of("batch size 3", "limit of 2"));
      String oip =
          "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[3,64],\"datatype\":\"FP32\",\"data\":"
              + rowsOf(3)
              + "}]}";
      assertError(
          s.handle(post("/v2/models/digits/infer", oip)),
          ErrorCode.INVALID_INPUT,
          List.of("batch size 3", "limit of 2"));
    }
  }

  @Test
  void nonFiniteValuesAreAcceptedWhenAllowed() {
    SnapserveConfig config =
        SnapserveConfig.fromEnv(Map.of("SNAPSERVE_ALLOW_NON_FINITE", "true"))
            .withBundles(List.of(Fixtures.demo()));
    assertThat(config.allowNonFinite()).isTrue();
    try (InferenceService s = InferenceService.create(config, o -> {})) {
      for (String token : List.of("NaN", "Infinity", "-Infinity")) {
        String body = "{\"instances\":[" + replaceFirst(pixels(0), "0", token) + "]}";
        ServeResponse r = s.handle(post("/v1/predict", body));
        assertThat(r.status()).as(token + ": " + r.bodyText()).isEqualTo(200);
        JsonNode predictions = json(r.body()).get("predictions");
        assertThat(predictions).hasSize(1);
        assertThat(predictions.get(0)).hasSize(10);
      }
    }
  }

  @Test
  void noBadRequestIsAnUnexpectedFailure() {
    OUTCOMES.clear();
    cases().forEach(c -> service.handle(c.request()));
    assertThat(OUTCOMES).hasSize((int) cases().count());
    for (RequestOutcome o : OUTCOMES) {
      assertThat(o.failure()).as(o.toString()).isNull();
      assertThat(o.status()).as(o.toString()).isBetween(400, 499);
      assertThat(o.errorCode()).isNotNull();
    }
  }

  @Test
  void goodRequestsStillAnswerGoldenResultsAfterEveryBadRequest() {
    cases().forEach(c -> service.handle(c.request()));
    ArrayNode rows = Fixtures.JSON.createArrayNode();
    ArrayNode expected = Fixtures.JSON.createArrayNode();
    for (int i = 0; i < 20; i++) {
      rows.add(DIGITS.get("inputs").get("pixels").get(i));
      expected.add(DIGITS.get("outputs").get("logits").get(i));
    }
    ServeResponse r = service.handle(post("/v1/predict", Map.of("instances", rows)));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(maxAbsDiff(json(r.body()).get("predictions"), expected)).isLessThanOrEqualTo(1e-5);

    ServeResponse t =
        service.handle(post("/v1/models/textcls:predict", Map.of("inputs", TEXT.get("inputs"))));
    assertThat(t.status()).as(t.bodyText()).isEqualTo(200);
    assertThat(json(t.body()).get("outputs").get("label"))
        .isEqualTo(TEXT.get("outputs").get("label"));
  }
}
