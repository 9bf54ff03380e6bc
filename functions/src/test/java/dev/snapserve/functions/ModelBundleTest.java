package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and verifying bundles: everything that must be refused before a model runs. */
class ModelBundleTest {
  static final SnapserveConfig CONFIG = SnapserveConfig.defaults();

  @TempDir Path tmp;

  @Test
  void demoBundleLoadsWithItsManifest() {
    ModelBundle b = ModelBundle.load(Fixtures.demo());
    assertThat(b.manifest().name()).isEqualTo("digits");
    assertThat(b.manifest().version()).isEqualTo("1");
    assertThat(b.manifest().labels()).hasSize(10);
    assertThat(b.modelFile()).isEqualTo(Fixtures.demo().resolve("model.onnx"));
    assertThat(b.manifest().signature().inputs())
        .containsExactly(new TensorSpec("pixels", DataType.FP32, List.of(-1L, 64L)));
  }

  @Test
  void describeComputesTheManifestsHashAndSize() throws IOException {
    Manifest.ModelFile d = ModelBundle.describe(Fixtures.demo().resolve("model.onnx"));
    Manifest.ModelFile declared = ModelBundle.load(Fixtures.demo()).manifest().model();
    assertThat(d).isEqualTo(declared);
  }

  @Test
  void flippedByteWithTheSameSizeIsRefusedNamingBothHashes() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    Path model = dir.resolve("model.onnx");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(model, bytes);
    String expected = ModelBundle.load(Fixtures.demo()).manifest().model().sha256();
    String actual = ModelBundle.describe(model).sha256();
    assertThat(actual).isNotEqualTo(expected);
    assertThat(Files.size(model)).isEqualTo(Files.size(Fixtures.demo().resolve("model.onnx")));

    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining(expected)
        .hasMessageContaining(actual)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void sizeMismatchIsRefused() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    Files.write(dir.resolve("model.onnx"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("19910 bytes")
        .hasMessageContaining("19909");
  }

  @Test
  void missingModelFileIsRefused() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    Files.delete(dir.resolve("model.onnx"));
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("model.onnx")
        .hasMessageContaining("missing");
  }

  @Test
  void missingManifestIsRefused() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    Files.delete(dir.resolve("manifest.json"));
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("no manifest.json");
  }

  @Test
  void manifestThatIsNotJsonIsRefused() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    Files.writeString(dir.resolve("manifest.json"), "{ not json");
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("not a valid manifest");
  }

  @Test
  void corruptModelWhoseHashMatchesIsRefusedByOnnxRuntime() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("demo"));
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    Files.write(dir.resolve("model.onnx"), garbage);
    Manifest.ModelFile d = ModelBundle.describe(dir.resolve("model.onnx"));
    Fixtures.editManifest(
        dir,
        m ->
            ((ObjectNode) m.get("model"))
                .put("sha256", d.sha256())
                .put("sizeBytes", d.sizeBytes()));

    ModelBundle bundle = ModelBundle.load(dir); // integrity holds: the bytes are what it says
    SnapserveConfig config = CONFIG.withBundles(List.of(dir));
    assertThatThrownBy(() -> InferenceService.create(config))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("ONNX Runtime cannot load")
        .hasMessageContaining(bundle.modelFile().toString())
        .hasMessageNotContaining("\n");
  }

  @Test
  void modelFileThatEscapesTheBundleIsRefused() throws IOException {
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("bundle/demo"));
    // a real, matching model one level up: only the path rule can refuse it
    Files.copy(Fixtures.demo().resolve("model.onnx"), tmp.resolve("bundle/model.onnx"));
    for (String file :
        List.of(
            "../model.onnx",
            tmp.resolve("bundle/model.onnx").toAbsolutePath().toString(),
            "sub/../../model.onnx",
            "..\\model.onnx",
            "",
            ".")) {
      Fixtures.editManifest(dir, m -> ((ObjectNode) m.get("model")).put("file", file));
      assertThatThrownBy(() -> ModelBundle.load(dir))
          .as("model.file '%s'", file)
          .isInstanceOfSatisfying(
              SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
          .hasMessageContaining("model.file must be a plain file name");
    }
  }

  @Test
  void manifestFieldRulesAreEnforced() throws IOException {
    record Case(String field, Object value, String message) {}
    for (Case c :
        List.of(
            new Case("schemaVersion", 2, "unsupported schemaVersion 2"),
            new Case("name", "../digits", "model name must match"),
            new Case("version", "", "model version must match"),
            new Case("format", "tensorflow", "unsupported format 'tensorflow'"))) {
      Path dir = Fixtures.copyBundle("demo", tmp.resolve(c.field()));
      Fixtures.editManifest(dir, m -> m.set(c.field(), Fixtures.JSON.valueToTree(c.value())));
      assertThatThrownBy(() -> ModelBundle.load(dir))
          .as(c.field())
          .isInstanceOf(SnapserveException.class)
          .hasMessageContaining(c.message());
    }
    Path dir = Fixtures.copyBundle("demo", tmp.resolve("nosig"));
    Fixtures.editManifest(dir, m -> m.remove("signature"));
    assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("signature is required");
  }

  @Test
  void manifestWhoseSignatureDisagreesWithTheModelIsRefused() throws IOException {
    record Case(String what, java.util.function.Consumer<ObjectNode> edit) {}
    for (Case c :
        List.of(
            new Case("input name", s -> ((ObjectNode) s.get("inputs").get(0)).put("name", "image")),
            new Case(
                "input datatype",
                s -> ((ObjectNode) s.get("inputs").get(0)).put("datatype", "FP64")),
            new Case(
                "input static dim",
                s -> ((ObjectNode) s.get("inputs").get(0)).putArray("shape").add(-1).add(65)),
            new Case(
                "output shape",
                s -> ((ObjectNode) s.get("outputs").get(0)).putArray("shape").add(-1).add(11)))) {
      Path dir = Fixtures.copyBundle("demo", tmp.resolve(c.what().replace(' ', '-')));
      Fixtures.editManifest(dir, m -> c.edit().accept((ObjectNode) m.get("signature")));
      ModelBundle bundle = ModelBundle.load(dir); // the manifest itself is well-formed
      assertThatThrownBy(() -> InferenceService.create(CONFIG, List.of(bundle), o -> {}))
          .as(c.what())
          .isInstanceOfSatisfying(
              SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
          .hasMessageContaining("signature does not match the model");
    }
  }

  @Test
  void fromOnnxFileDerivesTheTextClassifierSignatureAndWritesNothing() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bare"));
    Path onnx = dir.resolve("textcls.onnx");
    Files.copy(Fixtures.bundle("textcls").resolve("model.onnx"), onnx);

    ModelBundle b = ModelBundle.fromOnnxFile(onnx, "texts", "7", CONFIG);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(onnx);
    }
    Manifest m = b.manifest();
    assertThat(m.name()).isEqualTo("texts");
    assertThat(m.version()).isEqualTo("7");
    assertThat(m.format()).isEqualTo("onnx");
    assertThat(m.model()).isEqualTo(ModelBundle.describe(onnx));
    assertThat(m.model().file()).isEqualTo("textcls.onnx");
    assertThat(b.modelFile()).isEqualTo(onnx.toAbsolutePath());
    assertThat(m.signature().inputs())
        .containsExactly(
            new TensorSpec("input_ids", DataType.INT64, List.of(-1L, -1L)),
            new TensorSpec("attention_mask", DataType.INT64, List.of(-1L, -1L)));
    assertThat(m.signature().outputs())
        .containsExactly(
            new TensorSpec("logits", DataType.FP32, List.of(-1L, 3L)),
            new TensorSpec("label", DataType.INT64, List.of(-1L)));
    // the derived manifest agrees with the committed one and serves
    assertThat(m.signature())
        .isEqualTo(ModelBundle.load(Fixtures.bundle("textcls")).manifest().signature());
    try (InferenceService s = InferenceService.create(CONFIG, List.of(b), o -> {})) {
      ServeResponse r =
          s.handle(
              Fixtures.post(
                  "/v1/models/texts/versions/7:predict",
                  Fixtures.golden("textcls-golden.json")
                      .get("inputs")
                      .toString()
                      .transform(in -> "{\"inputs\":" + in + "}")));
      assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
      assertThat(Fixtures.json(r.body()).get("outputs").get("label"))
          .isEqualTo(Fixtures.golden("textcls-golden.json").get("outputs").get("label"));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("serving writes nothing either").containsExactly(onnx);
    }
  }

  @Test
  void fromOnnxFileRefusesAMissingOrCorruptFile() throws IOException {
    assertThatThrownBy(() -> ModelBundle.fromOnnxFile(tmp.resolve("nope.onnx"), "x", "1", CONFIG))
        .isInstanceOf(SnapserveException.class)
        .hasMessageContaining("does not exist");
    Path junk = Files.write(tmp.resolve("junk.onnx"), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> ModelBundle.fromOnnxFile(junk, "x", "1", CONFIG))
        .isInstanceOfSatisfying(
            SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("ONNX Runtime cannot load");
  }
}
