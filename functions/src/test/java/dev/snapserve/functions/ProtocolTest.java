package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.get;
import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route and request shape of TF Serving REST and the Open Inference Protocol v2. */
class ProtocolTest {
  static final double TOLERANCE = 1e-5;
  static final JsonNode DIGITS = Fixtures.golden("digits-heldout.json");
  static final JsonNode TEXT = Fixtures.golden("textcls-golden.json");
  static InferenceService service;

  @BeforeAll
  static void load() {
    service =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(
                    List.of(
                        Fixtures.demo(),
                        Fixtures.bundle("mlp784"),
                        Fixtures.bundle("textcls"),
                        Fixtures.bundle("seqpool")))
                .withRouting("v1=digits;v2=digits@stable;v7=textcls", "digits:stable=1"),
            o -> {});
  }

  @AfterAll
  static void close() {
    service.close();
  }

  static JsonNode pixels(int row) {
    return DIGITS.get("inputs").get("pixels").get(row);
  }

  static JsonNode logits(int row) {
    return DIGITS.get("outputs").get("logits").get(row);
  }

  static ArrayNode rows(int... rows) {
    ArrayNode a = Fixtures.JSON.createArrayNode();
    for (int r : rows) a.add(pixels(r));
    return a;
  }

  static ArrayNode goldenRows(int... rows) {
    ArrayNode a = Fixtures.JSON.createArrayNode();
    for (int r : rows) a.add(logits(r));
    return a;
  }

  static ArrayNode flat(JsonNode nested) {
    ArrayNode out = Fixtures.JSON.createArrayNode();
    if (nested.isArray()) nested.forEach(n -> out.addAll(flat(n)));
    else out.add(nested);
    return out;
  }

  static JsonNode ok(ServeResponse r) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Content-Type", "application/json");
    return json(r.body());
  }

  static ObjectNode oipDigits(int... rowIdx) {
    ObjectNode body = Fixtures.JSON.createObjectNode();
    ObjectNode in = body.putArray("inputs").addObject();
    in.put("name", "pixels");
    in.putArray("shape").add(rowIdx.length).add(64);
    in.put("datatype", "FP32");
    in.set("data", flat(rows(rowIdx)));
    return body;
  }

  // ---- TF Serving REST ----------------------------------------------------------------------

  @Test
  void tfRowWithASingleInput() {
    JsonNode out =
        ok(service.handle(post("/v1/models/digits:predict", Map.of("instances", rows(0, 1, 2)))));
    assertThat(out.get("predictions")).hasSize(3);
    assertThat(maxAbsDiff(out.get("predictions"), goldenRows(0, 1, 2)))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void tfRowWithInstancesKeyedByInputName() {
    ArrayNode instances = Fixtures.JSON.createArrayNode();
    for (int i = 0; i < 3; i++) {
      instances
          .addObject()
          // mask first: keys are matched by name, not position
          .<ObjectNode>set("attention_mask", TEXT.get("inputs").get("attention_mask").get(i))
          .set("input_ids", TEXT.get("inputs").get("input_ids").get(i));
    }
    JsonNode out =
        ok(service.handle(post("/v1/models/textcls:predict", Map.of("instances", instances))));
    JsonNode predictions = out.get("predictions");
    assertThat(predictions).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(
              maxAbsDiff(
                  predictions.get(i).get("logits"), TEXT.get("outputs").get("logits").get(i)))
          .isLessThanOrEqualTo(TOLERANCE);
      assertThat(predictions.get(i).get("label").asLong())
          .isEqualTo(TEXT.get("outputs").get("label").get(i).asLong());
    }
  }

  @Test
  void tfRowObjectKeyedForASingleInputModel() {
    ArrayNode instances = Fixtures.JSON.createArrayNode();
    instances.addObject().set("pixels", pixels(5));
    JsonNode out =
        ok(service.handle(post("/v1/models/digits:predict", Map.of("instances", instances))));
    assertThat(maxAbsDiff(out.get("predictions"), goldenRows(5))).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void tfColumnarSingleInput() {
    JsonNode out =
        ok(service.handle(post("/v1/models/digits:predict", Map.of("inputs", rows(3, 4)))));
    assertThat(maxAbsDiff(out.get("outputs"), goldenRows(3, 4))).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void tfColumnarNamedInputs() {
    JsonNode out =
        ok(
            service.handle(
                post("/v1/models/digits:predict", Map.of("inputs", Map.of("pixels", rows(6))))));
    assertThat(maxAbsDiff(out.get("outputs"), goldenRows(6))).isLessThanOrEqualTo(TOLERANCE);

    JsonNode text =
        ok(
            service.handle(
                post("/v1/models/textcls:predict", Map.of("inputs", TEXT.get("inputs")))));
    assertThat(text.get("outputs").get("label")).isEqualTo(TEXT.get("outputs").get("label"));
    assertThat(maxAbsDiff(text.get("outputs").get("logits"), TEXT.get("outputs").get("logits")))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void seqpoolColumnarKeepsTheDynamicTimeDimension() {
    JsonNode g = Fixtures.golden("seqpool-golden.json");
    JsonNode out =
        ok(service.handle(post("/v1/models/seqpool:predict", Map.of("inputs", g.get("inputs")))));
    assertThat(maxAbsDiff(out.get("outputs"), g.get("outputs").get("scores")))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void signatureNameServingDefaultIsAcceptedAndOthersAreRejected() {
    JsonNode out =
        ok(
            service.handle(
                post(
                    "/v1/models/digits:predict",
                    Map.of("signature_name", "serving_default", "instances", rows(7)))));
    assertThat(maxAbsDiff(out.get("predictions"), goldenRows(7))).isLessThanOrEqualTo(TOLERANCE);

    ServeResponse r =
        service.handle(
            post(
                "/v1/models/digits:predict",
                Map.of("signature_name", "classify", "instances", rows(7))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("'classify'", "serving_default");
  }

  // ---- Open Inference Protocol ------------------------------------------------------------

  @Test
  void oipWithFlatData() {
    JsonNode out = ok(service.handle(post("/v2/models/digits/infer", oipDigits(0, 1))));
    assertThat(out.get("model_name").asText()).isEqualTo("digits");
    assertThat(out.get("model_version").asText()).isEqualTo("1");
    assertThat(out.has("id")).isFalse();
    JsonNode o = out.get("outputs").get(0);
    assertThat(out.get("outputs")).hasSize(1);
    assertThat(o.get("name").asText()).isEqualTo("logits");
    assertThat(o.get("datatype").asText()).isEqualTo("FP32");
    assertThat(o.get("shape").toString()).isEqualTo("[2,10]");
    assertThat(maxAbsDiff(o.get("data"), flat(goldenRows(0, 1)))).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void oipWithNestedData() {
    ObjectNode body = oipDigits(0, 1);
    ((ObjectNode) body.get("inputs").get(0)).set("data", rows(0, 1));
    JsonNode o =
        ok(service.handle(post("/v2/models/digits/versions/1/infer", body))).get("outputs").get(0);
    assertThat(maxAbsDiff(o.get("data"), flat(goldenRows(0, 1)))).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void oipFieldsInUnusualOrderAndIdEchoed() {
    // data before name and datatype; outputs and id after inputs; parameters ignored
    String data = flat(rows(8, 9)).toString();
    String body =
        "{\"parameters\":{\"x\":[1,{\"y\":2}]},\"inputs\":[{\"data\":"
            + data
            + ",\"shape\":[2,64],\"parameters\":{},\"datatype\":\"FP32\",\"name\":\"pixels\"}],"
            + "\"outputs\":[{\"name\":\"logits\"}],\"id\":\"req-42\"}";
    JsonNode out = ok(service.handle(post("/v2/models/digits/infer", body)));
    assertThat(out.get("id").asText()).isEqualTo("req-42");
    assertThat(maxAbsDiff(out.get("outputs").get(0).get("data"), flat(goldenRows(8, 9))))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void oipNestedDataBeforeNameAndTwoInputsOutOfOrder() {
    JsonNode ids = TEXT.get("inputs").get("input_ids");
    JsonNode mask = TEXT.get("inputs").get("attention_mask");
    String body =
        "{\"id\":\"t\",\"inputs\":["
            + "{\"data\":"
            + mask
            + ",\"datatype\":\"INT64\",\"shape\":[3,5],\"name\":\"attention_mask\"},"
            + "{\"shape\":[3,5],\"data\":"
            + ids
            + ",\"name\":\"input_ids\",\"datatype\":\"INT64\"}]}";
    JsonNode out = ok(service.handle(post("/v2/models/textcls/infer", body)));
    assertThat(out.get("id").asText()).isEqualTo("t");
    assertThat(out.get("outputs")).hasSize(2);
    JsonNode label = output(out, "label");
    assertThat(label.get("datatype").asText()).isEqualTo("INT64");
    assertThat(label.get("shape").toString()).isEqualTo("[3]");
    assertThat(label.get("data")).isEqualTo(TEXT.get("outputs").get("label"));
    assertThat(
            maxAbsDiff(output(out, "logits").get("data"), flat(TEXT.get("outputs").get("logits"))))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  static JsonNode output(JsonNode oip, String name) {
    for (JsonNode o : oip.get("outputs")) if (o.get("name").asText().equals(name)) return o;
    throw new AssertionError("no output " + name + " in " + oip);
  }

  @Test
  void oipRequestedOutputsReturnOnlyThose() {
    ObjectNode body = Fixtures.JSON.createObjectNode();
    ArrayNode inputs = body.putArray("inputs");
    for (String name : List.of("input_ids", "attention_mask")) {
      ObjectNode in = inputs.addObject();
      in.put("name", name).put("datatype", "INT64");
      in.putArray("shape").add(3).add(5);
      in.set("data", flat(TEXT.get("inputs").get(name)));
    }
    body.putArray("outputs").addObject().put("name", "label");
    JsonNode out = ok(service.handle(post("/v2/models/textcls/infer", body)));
    assertThat(out.get("outputs")).hasSize(1);
    assertThat(out.get("outputs").get(0).get("name").asText()).isEqualTo("label");
    assertThat(out.get("outputs").get(0).get("data")).isEqualTo(TEXT.get("outputs").get("label"));

    body.putArray("outputs").addObject().put("name", "probabilities");
    ServeResponse r = service.handle(post("/v2/models/textcls/infer", body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("'probabilities'", "logits", "label");
  }

  @Test
  void oipDatatypeMismatchIs400() {
    ObjectNode body = oipDigits(0);
    ((ObjectNode) body.get("inputs").get(0)).put("datatype", "FP64");
    ServeResponse r = service.handle(post("/v2/models/digits/infer", body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("pixels", "FP64", "FP32");
    ((ObjectNode) body.get("inputs").get(0)).put("datatype", "FLOAT16");
    r = service.handle(post("/v2/models/digits/infer", body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("unknown datatype 'FLOAT16'");
  }

  @Test
  void oipShapeDisagreeingWithDataIs400() {
    ObjectNode body = oipDigits(0, 1);
    ((ObjectNode) body.get("inputs").get(0)).putArray("shape").add(3).add(64);
    ServeResponse r = service.handle(post("/v2/models/digits/infer", body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("192 elements", "128 data elements");
  }

  // ---- /vN/predict: either protocol --------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"/v1/predict", "/v2/predict", "/v1/predict/"})
  void versionedPredictSniffsOipAndTfBodies(String path) {
    JsonNode oip = ok(service.handle(post(path, oipDigits(0))));
    assertThat(oip.get("model_name").asText()).isEqualTo("digits");
    assertThat(maxAbsDiff(oip.get("outputs").get(0).get("data"), flat(goldenRows(0))))
        .isLessThanOrEqualTo(TOLERANCE);

    JsonNode row = ok(service.handle(post(path, Map.of("instances", rows(0)))));
    assertThat(maxAbsDiff(row.get("predictions"), goldenRows(0))).isLessThanOrEqualTo(TOLERANCE);

    JsonNode col = ok(service.handle(post(path, Map.of("inputs", rows(0)))));
    assertThat(maxAbsDiff(col.get("outputs"), goldenRows(0))).isLessThanOrEqualTo(TOLERANCE);

    JsonNode named = ok(service.handle(post(path, Map.of("inputs", Map.of("pixels", rows(0))))));
    assertThat(maxAbsDiff(named.get("outputs"), goldenRows(0))).isLessThanOrEqualTo(TOLERANCE);

    // OIP with "id" and "outputs" before "inputs"
    ObjectNode late = Fixtures.JSON.createObjectNode().put("id", "x");
    late.putArray("outputs").addObject().put("name", "logits");
    late.setAll(oipDigits(0));
    JsonNode lateOut = ok(service.handle(post(path, late)));
    assertThat(lateOut.get("id").asText()).isEqualTo("x");
    assertThat(lateOut.get("outputs").get(0).get("shape").toString()).isEqualTo("[1,10]");
  }

  @Test
  void anyConfiguredApiVersionServesItsModel() {
    ServeResponse r = service.handle(post("/v7/predict", Map.of("inputs", TEXT.get("inputs"))));
    JsonNode out = ok(r);
    assertThat(r.headers()).containsEntry("X-Model-Name", "textcls");
    assertThat(out.get("outputs").get("label")).isEqualTo(TEXT.get("outputs").get("label"));
  }

  @Test
  void responseHeadersNameModelVersionAndRequestId() {
    ServeResponse r = service.handle(post("/v1/predict", Map.of("instances", rows(0))));
    assertThat(r.headers())
        .containsEntry("X-Model-Name", "digits")
        .containsEntry("X-Model-Version", "1");
    assertThat(r.headers().get("X-Request-Id")).isNotBlank();
    ServeResponse r2 = service.handle(post("/v1/predict", Map.of("instances", rows(0))));
    assertThat(r2.headers().get("X-Request-Id")).isNotEqualTo(r.headers().get("X-Request-Id"));

    ServeRequest withId =
        ServeRequest.of(
            "POST",
            "/v1/predict?debug=1",
            Map.of("Content-Type", "application/json; charset=utf-8"),
            Fixtures.bytes(Map.of("instances", rows(0))),
            "lambda-req-1");
    ServeResponse r3 = service.handle(withId);
    assertThat(r3.status()).isEqualTo(200);
    assertThat(r3.headers()).containsEntry("X-Request-Id", "lambda-req-1");
  }

  // ---- status and metadata ------------------------------------------------------------------

  @Test
  void tfModelStatus() {
    ServeResponse r = service.handle(get("/v1/models/digits"));
    JsonNode s = ok(r).get("model_version_status");
    assertThat(s).hasSize(1);
    assertThat(s.get(0).get("version").asText()).isEqualTo("1");
    assertThat(s.get(0).get("state").asText()).isEqualTo("AVAILABLE");
    assertThat(s.get(0).get("status").get("error_code").asText()).isEqualTo("OK");
    assertThat(r.headers()).doesNotContainKey("X-Model-Name"); // a status, not one model's answer

    JsonNode v =
        ok(service.handle(get("/v1/models/digits/versions/1"))).get("model_version_status");
    assertThat(v.get(0).get("version").asText()).isEqualTo("1");
    JsonNode l =
        ok(service.handle(get("/v1/models/digits/labels/stable"))).get("model_version_status");
    assertThat(l.get(0).get("version").asText()).isEqualTo("1");
  }

  @Test
  void tfModelMetadata() {
    JsonNode m = ok(service.handle(get("/v1/models/digits/metadata")));
    assertThat(m.get("model_spec").get("name").asText()).isEqualTo("digits");
    assertThat(m.get("model_spec").get("version").asText()).isEqualTo("1");
    JsonNode sig =
        m.get("metadata").get("signature_def").get("signature_def").get("serving_default");
    assertThat(sig.get("method_name").asText()).isEqualTo("tensorflow/serving/predict");
    JsonNode in = sig.get("inputs").get("pixels");
    assertThat(in.get("dtype").asText()).isEqualTo("DT_FLOAT");
    List<String> dims = new ArrayList<>();
    in.get("tensor_shape").get("dim").forEach(d -> dims.add(d.get("size").asText()));
    assertThat(dims).containsExactly("-1", "64");
    assertThat(sig.get("outputs").get("logits").get("dtype").asText()).isEqualTo("DT_FLOAT");
    assertThat(m.get("metadata").get("labels")).hasSize(10);

    JsonNode t = ok(service.handle(get("/v1/models/textcls/versions/1/metadata")));
    JsonNode ts =
        t.get("metadata").get("signature_def").get("signature_def").get("serving_default");
    assertThat(ts.get("inputs").get("input_ids").get("dtype").asText()).isEqualTo("DT_INT64");
    assertThat(ts.get("outputs").get("label").get("dtype").asText()).isEqualTo("DT_INT64");
  }

  @Test
  void tfPredictByVersionAndByLabel() {
    for (String path :
        List.of(
            "/v1/models/digits/versions/1:predict", "/v1/models/digits/labels/stable:predict")) {
      ServeResponse r = service.handle(post(path, Map.of("instances", rows(10))));
      assertThat(maxAbsDiff(ok(r).get("predictions"), goldenRows(10)))
          .as(path)
          .isLessThanOrEqualTo(TOLERANCE);
      assertThat(r.headers()).containsEntry("X-Model-Version", "1");
    }
  }

  @Test
  void oipServerHealthAndModelMetadata() {
    JsonNode server = ok(service.handle(get("/v2")));
    assertThat(server.get("name").asText()).isEqualTo("snapserve");
    assertThat(server.get("version").asText()).isNotBlank();
    assertThat(server.get("extensions").toString()).contains("model_repository");

    assertThat(ok(service.handle(get("/v2/health/live"))).get("live").asBoolean()).isTrue();
    assertThat(ok(service.handle(get("/v2/health/ready"))).get("ready").asBoolean()).isTrue();

    JsonNode model = ok(service.handle(get("/v2/models/digits")));
    assertThat(model.get("name").asText()).isEqualTo("digits");
    assertThat(model.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(model.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(model.get("inputs").get(0).get("name").asText()).isEqualTo("pixels");
    assertThat(model.get("inputs").get(0).get("datatype").asText()).isEqualTo("FP32");
    assertThat(model.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,64]");
    assertThat(model.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,10]");
    assertThat(model.get("parameters").get("labels")).hasSize(10);

    ServeResponse ready = service.handle(get("/v2/models/digits/ready"));
    JsonNode readyBody = ok(ready);
    assertThat(readyBody.get("ready").asBoolean()).isTrue();
    assertThat(readyBody.get("name").asText()).isEqualTo("digits");
    assertThat(ready.headers()).containsEntry("X-Model-Name", "digits");

    JsonNode v1 = ok(service.handle(get("/v2/models/digits/versions/1")));
    assertThat(v1.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(
            ok(service.handle(get("/v2/models/digits/versions/1/ready"))).get("ready").asBoolean())
        .isTrue();

    JsonNode text = ok(service.handle(get("/v2/models/textcls")));
    assertThat(text.get("inputs")).hasSize(2);
    assertThat(text.has("parameters")).isFalse(); // no labels in its manifest
  }

  @Test
  void oipRepositoryIndexListsEveryModelReady() {
    ServeResponse r = service.handle(post("/v2/repository/index", "{}"));
    JsonNode index = ok(r);
    assertThat(index.isArray()).isTrue();
    List<String> entries = new ArrayList<>();
    for (JsonNode e : index) {
      assertThat(e.get("state").asText()).isEqualTo("READY");
      assertThat(e.size()).isEqualTo(3);
      entries.add(e.get("name").asText() + "@" + e.get("version").asText());
    }
    assertThat(entries).containsExactly("digits@1", "mlp784@1", "textcls@1", "seqpool@1");
  }

  @Test
  void headRequestsAnswerLikeGet() {
    ServeResponse r =
        service.handle(ServeRequest.of("HEAD", "/v2/health/ready", Map.of(), null, null));
    assertThat(r.status()).isEqualTo(200);
  }
}
