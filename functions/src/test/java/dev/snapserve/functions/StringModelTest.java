package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BYTES (string) tensors end to end. No committed fixture has a string input, so the test writes a
 * one-node ONNX model (Identity over a STRING [batch] tensor) and serves it through {@link
 * ModelBundle#fromOnnxFile}, whose derived signature must say BYTES.
 */
class StringModelTest {
  @TempDir static Path tmp;
  static InferenceService service;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws IOException {
    Path onnx = tmp.resolve("echo.onnx");
    Files.write(
        onnx,
        OnnxWriter.model(
            "Identity",
            List.of(new OnnxWriter.Value("text", OnnxWriter.STRING, List.of("batch"))),
            List.of(new OnnxWriter.Value("echo", OnnxWriter.STRING, List.of("batch")))));
    bundle = ModelBundle.fromOnnxFile(onnx, "echo", "1", SnapserveConfig.defaults());
    service = InferenceService.create(SnapserveConfig.defaults(), List.of(bundle), o -> {});
  }

  @AfterAll
  static void close() {
    service.close();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void derivedSignatureIsBytes() {
    assertThat(bundle.manifest().signature().inputs())
        .containsExactly(new TensorSpec("text", DataType.BYTES, List.of(-1L)));
    assertThat(bundle.manifest().signature().outputs())
        .containsExactly(new TensorSpec("echo", DataType.BYTES, List.of(-1L)));
    JsonNode meta = json(service.handle(Fixtures.get("/v1/models/echo/metadata")).body());
    assertThat(
            meta.at("/metadata/signature_def/signature_def/serving_default/inputs/text/dtype")
                .asText())
        .isEqualTo("DT_STRING");
  }

  @Test
  void tfRowAcceptsStringsAndBase64Objects() {
    String body = "{\"instances\":[\"plain\",{\"b64\":\"" + b64("héllo wörld") + "\"}]}";
    ServeResponse r = service.handle(post("/v1/models/echo:predict", body));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(json(r.body()).get("predictions").toString())
        .isEqualTo("[\"plain\",\"héllo wörld\"]");
  }

  @Test
  void tfRowAcceptsInstancesKeyedByInputName() {
    // TF Serving's named row format works for a single string input as for any other
    String body = "{\"instances\":[{\"text\":\"a\"},{\"text\":{\"b64\":\"" + b64("b") + "\"}}]}";
    ServeResponse r = service.handle(post("/v1/models/echo:predict", body));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(json(r.body()).get("predictions").toString()).isEqualTo("[\"a\",\"b\"]");
  }

  @Test
  void tfColumnarAndOipCarryStrings() {
    ServeResponse col =
        service.handle(
            post("/v1/predict", "{\"inputs\":{\"text\":[{\"b64\":\"" + b64("a") + "\"},\"b\"]}}"));
    assertThat(col.status()).as(col.bodyText()).isEqualTo(200);
    assertThat(json(col.body()).get("outputs").toString()).isEqualTo("[\"a\",\"b\"]");

    ServeResponse oip =
        service.handle(
            post(
                "/v2/models/echo/infer",
                "{\"inputs\":[{\"name\":\"text\",\"shape\":[3],\"datatype\":\"BYTES\","
                    + "\"data\":[\"x\",\"\",\"z\"]}]}"));
    assertThat(oip.status()).as(oip.bodyText()).isEqualTo(200);
    JsonNode out = json(oip.body()).get("outputs").get(0);
    assertThat(out.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(out.get("data").toString()).isEqualTo("[\"x\",\"\",\"z\"]");
  }

  @Test
  void base64GarbageIs400() {
    ServeResponse r =
        service.handle(
            post("/v1/models/echo:predict", "{\"instances\":[{\"b64\":\"@@not base64\"}]}"));
    assertThat(r.status()).isEqualTo(400);
    JsonNode body = json(r.body());
    assertThat(body.get("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(body.get("error").asText()).contains("input 'text'", "invalid base64");
  }

  @Test
  void numbersForBytesAre400() {
    ServeResponse r = service.handle(post("/v1/models/echo:predict", "{\"instances\":[1,2]}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).get("error").asText()).contains("input 'text'", "a number");
  }

  @Test
  void primingWorksForStringInputs() {
    assertThat(service.prime(2)).isEqualTo(2 * (2 + 1));
  }
}
