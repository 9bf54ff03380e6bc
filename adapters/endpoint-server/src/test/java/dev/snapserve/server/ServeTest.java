package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code snapserve serve} accepts as models, and how it says what is wrong. */
class ServeTest {
  static final SnapserveConfig CONFIG = SnapserveConfig.defaults();

  @Test
  void aBareOnnxFileIsNamedAfterItsFileAtVersionOneAndNothingIsWritten(@TempDir Path dir)
      throws IOException {
    Path onnx =
        Files.copy(Fixtures.bundle("mlp784").resolve("model.onnx"), dir.resolve("mlp.onnx"));
    List<ModelBundle> bundles = Serve.bundles(List.of(onnx), null, null, CONFIG);
    assertThat(bundles).hasSize(1);
    ModelBundle b = bundles.get(0);
    assertThat(b.manifest().name()).isEqualTo("mlp");
    assertThat(b.manifest().version()).isEqualTo(Serve.DEFAULT_VERSION).isEqualTo("1");
    assertThat(b.manifest().signature().inputs().get(0).name()).isEqualTo("input");
    assertThat(b.modelFile()).isEqualTo(onnx.toAbsolutePath());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(onnx);
    }
  }

  @Test
  void bundleDirectoriesAndManifestPathsLoad() {
    List<ModelBundle> bundles =
        Serve.bundles(
            List.of(Fixtures.demo(), Fixtures.bundle("textcls").resolve("manifest.json")),
            null,
            null,
            CONFIG);
    assertThat(bundles).extracting(b -> b.manifest().name()).containsExactly("digits", "textcls");
  }

  @Test
  void aMissingPathSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> Serve.bundles(List.of(dir.resolve("nope")), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("no such file or directory: " + dir.resolve("nope"));
  }

  @Test
  void aBadManifestSaysWhere(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("manifest.json"), "{ \"schemaVersion\": 1, ");
    assertThatThrownBy(() -> Serve.bundles(List.of(dir), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining(dir.resolve("manifest.json") + " is not a valid manifest");
  }

  @Test
  void aTamperedModelIsRefused(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.demo().resolve("manifest.json"), dir.resolve("manifest.json"));
    Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Serve.bundles(List.of(dir), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("the bundle is corrupt or incomplete");
  }

  @Test
  void aDirectoryWithoutManifestPointsAtItsOnnxFile(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.demo().resolve("model.onnx"), dir.resolve("digits.onnx"));
    assertThatThrownBy(() -> Serve.bundles(List.of(dir), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessage(
            dir
                + " is not a bundle: it has no manifest.json; to serve the bare model, pass "
                + dir.resolve("digits.onnx"));
  }

  @Test
  void anotherKindOfFileIsRefused(@TempDir Path dir) throws IOException {
    Path txt = Files.writeString(dir.resolve("model.txt"), "hello");
    assertThatThrownBy(() -> Serve.bundles(List.of(txt), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("is neither a bundle directory");
  }

  @Test
  void nameAndVersionNeedExactlyOneBareOnnxFile(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Serve.bundles(List.of(Fixtures.demo()), "x", null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("manifest.json already names its model");
    Path a = Files.copy(Fixtures.demo().resolve("model.onnx"), dir.resolve("a.onnx"));
    Path b = Files.copy(Fixtures.demo().resolve("model.onnx"), dir.resolve("b.onnx"));
    assertThatThrownBy(() -> Serve.bundles(List.of(a, b), null, "2", CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("got 2 .onnx files");
  }

  @Test
  void aFileNameThatIsNoModelNameAsksForOne(@TempDir Path dir) throws IOException {
    Path onnx = Files.copy(Fixtures.demo().resolve("model.onnx"), dir.resolve("my model.onnx"));
    assertThatThrownBy(() -> Serve.bundles(List.of(onnx), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageEndingWith("; pass --name");
    assertThat(Serve.bundles(List.of(onnx), "mine", null, CONFIG).get(0).manifest().name())
        .isEqualTo("mine");
  }

  @Test
  void nothingToServeSaysHow() {
    assertThatThrownBy(() -> Serve.bundles(List.of(), null, null, CONFIG))
        .isInstanceOf(ServeException.class)
        .hasMessageStartingWith("nothing to serve");
  }

  @Test
  void routesListTheApiVersionsOfTheRoutingSpec() {
    assertThat(Serve.routes(CONFIG))
        .startsWith("POST /v1/predict", "POST /v1/models/{name}:predict")
        .endsWith("GET /ping", "POST /invocations");
    assertThat(Serve.routes(CONFIG.withRouting("v1=digits@1;v3=digits@1:90,digits@2:10", null)))
        .startsWith("POST /v1/predict", "POST /v3/predict", "POST /v1/models/{name}:predict");
  }
}
