package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.golden;
import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our predictions, through the whole request path, against PyTorch's golden outputs. */
class GoldenOutputsTest {
  static final double TOLERANCE = 1e-5;
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
                        Fixtures.bundle("seqpool"))));
  }

  @AfterAll
  static void close() {
    service.close();
  }

  @Test
  void digitsHeldOutSetMatchesPyTorchLogitsAndAccuracy() {
    JsonNode g = golden("digits-heldout.json");
    JsonNode pixels = g.get("inputs").get("pixels");
    ArrayNode logits = Fixtures.JSON.createArrayNode();
    // in batches under the default limit of 256, through the TF Serving row format
    for (int from = 0; from < pixels.size(); from += 100) {
      ArrayNode batch = Fixtures.JSON.createArrayNode();
      for (int i = from; i < Math.min(from + 100, pixels.size()); i++) batch.add(pixels.get(i));
      ServeResponse r = service.handle(post("/v1/predict", Map.of("instances", batch)));
      assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
      json(r.body()).get("predictions").forEach(logits::add);
    }
    assertThat(maxAbsDiff(logits, g.get("outputs").get("logits"))).isLessThanOrEqualTo(TOLERANCE);

    int correct = 0;
    for (int i = 0; i < logits.size(); i++) {
      if (argmax(logits.get(i)) == g.get("labels").get(i).asInt()) correct++;
    }
    double accuracy = (double) correct / logits.size();
    assertThat(logits.size()).isEqualTo(g.get("count").asInt());
    assertThat(accuracy)
        .isEqualTo(g.get("accuracy").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void mlp784MatchesGoldenViaOpenInferenceProtocol() {
    JsonNode g = golden("mlp784-golden.json");
    JsonNode rows = g.get("inputs").get("input");
    ObjectNode body = Fixtures.JSON.createObjectNode();
    ObjectNode in = body.putArray("inputs").addObject();
    in.put("name", "input").put("datatype", "FP32");
    in.putArray("shape").add(rows.size()).add(784);
    in.set("data", rows); // nested data is accepted, row-major
    ServeResponse r = service.handle(post("/v2/models/mlp784/infer", body));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    JsonNode out = json(r.body()).get("outputs").get(0);
    assertThat(out.get("shape").toString()).isEqualTo("[" + rows.size() + ",10]");
    assertThat(maxAbsDiff(out.get("data"), flatten(g.get("outputs").get("logits"))))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void textClassifierWithInt64IdsAndMaskMatchesGolden() {
    JsonNode g = golden("textcls-golden.json");
    ServeResponse r =
        service.handle(post("/v1/models/textcls:predict", Map.of("inputs", g.get("inputs"))));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    JsonNode outputs = json(r.body()).get("outputs");
    assertThat(maxAbsDiff(outputs.get("logits"), g.get("outputs").get("logits")))
        .isLessThanOrEqualTo(TOLERANCE);
    assertThat(outputs.get("label")).isEqualTo(g.get("outputs").get("label"));
    assertThat(r.headers()).containsEntry("X-Model-Name", "textcls");
  }

  @Test
  void dynamicTimeDimensionMatchesGolden() {
    JsonNode g = golden("seqpool-golden.json");
    ServeResponse r =
        service.handle(
            post("/v1/models/seqpool:predict", Map.of("instances", g.get("inputs").get("frames"))));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(maxAbsDiff(json(r.body()).get("predictions"), g.get("outputs").get("scores")))
        .isLessThanOrEqualTo(TOLERANCE);
  }

  static int argmax(JsonNode row) {
    int best = 0;
    for (int i = 1; i < row.size(); i++) {
      if (row.get(i).doubleValue() > row.get(best).doubleValue()) best = i;
    }
    return best;
  }

  static ArrayNode flatten(JsonNode nested) {
    ArrayNode out = Fixtures.JSON.createArrayNode();
    if (nested.isArray()) nested.forEach(n -> out.addAll(flatten(n)));
    else out.add(nested);
    return out;
  }
}
