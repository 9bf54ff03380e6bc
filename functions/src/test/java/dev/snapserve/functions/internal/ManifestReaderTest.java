package dev.snapserve.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestReaderTest {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @ParameterizedTest
  @ValueSource(strings = {"demo", "mlp784", "textcls", "seqpool"})
  void readsEveryCommittedManifestAsObjectMappingDoes(String bundle) throws IOException {
    Path file = Fixtures.bundle(bundle).resolve("manifest.json");
    Manifest streamed = ManifestReader.read(Files.readAllBytes(file));
    assertThat(streamed).isEqualTo(MAPPER.readValue(file.toFile(), Manifest.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"schemaVersion\":1,\"future\":{\"a\":[1,{\"b\":2}]},\"name\":\"m\",\"extra\":3}",
        "{\"name\":\"m\",\"signature\":{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
            + "\"shape\":[-1,2],\"doc\":\"ignored\"}],\"outputs\":[{\"name\":\"y\","
            + "\"datatype\":\"INT64\",\"shape\":[]}],\"notes\":[]}}"
      })
  void ignoresUnknownFields(String json) throws IOException {
    Manifest m = ManifestReader.read(json.getBytes(StandardCharsets.UTF_8));
    assertThat(m).isEqualTo(MAPPER.readValue(json, Manifest.class));
  }

  @Test
  void readsTheOptimizationsThePackagerRecords() throws IOException {
    String json =
        "{\"name\":\"m\",\"optimizations\":[{\"step\":\"optimize\",\"level\":\"basic\"},"
            + "{\"step\":\"quantize\",\"level\":\"int8\",\"future\":1,\"verify\":"
            + "{\"maxAbsError\":0.25,\"top1Agreement\":0.99,\"tolerance\":\"top1=0.99\","
            + "\"inputs\":\"360 rows\",\"passed\":true}}]}";
    Manifest m = ManifestReader.read(json.getBytes(StandardCharsets.UTF_8));
    assertThat(m.optimizations())
        .containsExactly(
            new Manifest.Optimization("optimize", "basic", null),
            new Manifest.Optimization(
                "quantize",
                "int8",
                new Manifest.Verification(0.25, 0.99, "top1=0.99", "360 rows", true)));
    assertThat(m).isEqualTo(MAPPER.readValue(json, Manifest.class));
    // and written back the way it was read
    assertThat(MAPPER.readValue(MAPPER.writeValueAsString(m), Manifest.class)).isEqualTo(m);
  }

  @Test
  void manifestsWithoutOptimizationsReadAsNoneAndWriteNone() throws IOException {
    Path file = Fixtures.bundle("demo").resolve("manifest.json");
    Manifest m = ManifestReader.read(Files.readAllBytes(file));
    assertThat(m.optimizations()).isEmpty();
    assertThat(MAPPER.writeValueAsString(m)).doesNotContain("optimizations");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"optimizations\":{\"step\":\"optimize\"}}",
        "{\"optimizations\":[{\"verify\":{\"maxAbsError\":\"big\"}}]}",
        "[]",
        "{\"name\":{\"nested\":1}}",
        "{\"signature\":{\"inputs\":[],\"outputs\":[]}}",
        "{\"signature\":{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FLOAT\",\"shape\":[1]}]}}",
        "{\"signature\":{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[\"a\"]}]}}",
        "{\"labels\":[\"a\",null]}",
        "{\"model\":\"model.onnx\"}"
      })
  void rejectsWrongShapesAsIoErrors(String json) {
    assertThatThrownBy(() -> ManifestReader.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }
}
