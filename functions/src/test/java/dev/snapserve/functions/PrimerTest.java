package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Priming: synthetic requests through the whole path, for every model, without metrics. */
class PrimerTest {
  static final List<String> ALL = List.of("demo", "mlp784", "textcls", "seqpool");

  static SnapserveConfig config(List<String> bundles) {
    return SnapserveConfig.defaults().withBundles(bundles.stream().map(Fixtures::bundle).toList());
  }

  @Test
  void primesTwoRequestsPerModelAndOnePerApiRoutePerIteration() {
    List<RequestOutcome> seen = Collections.synchronizedList(new ArrayList<>());
    try (InferenceService s = InferenceService.create(config(ALL), seen::add)) {
      assertThat(s.prime(3)).isEqualTo(3 * (2 * 4 + 1));
      assertThat(s.prime(1)).isEqualTo(2 * 4 + 1);
      assertThat(s.prime(0)).isZero();
      assertThat(seen).as("priming is not traffic: the listener hears nothing").isEmpty();

      // and the service still answers real requests, which the listener does hear
      assertThat(s.handle(Fixtures.get("/v2/health/ready")).status()).isEqualTo(200);
      assertThat(seen).hasSize(1);
    }
  }

  @Test
  void primesEachFixtureOnItsOwn() {
    for (String b : ALL) {
      try (InferenceService s = InferenceService.create(config(List.of(b)), o -> {})) {
        assertThat(s.prime(2)).as(b).isEqualTo(2 * (2 + 1));
      }
    }
  }

  @Test
  void primingCountsEveryVersion(@TempDir Path tmp) {
    Path v2 = Fixtures.copyBundle("demo", tmp.resolve("v2"));
    Fixtures.editManifest(v2, m -> m.put("version", "2"));
    try (InferenceService s =
        InferenceService.create(
            SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo(), v2)), o -> {})) {
      assertThat(s.prime(5)).isEqualTo(5 * (2 * 2 + 1));
    }
  }

  @Test
  void primingFailsWhenAModelCannotServeZeros(@TempDir Path tmp) {
    // a model that cannot serve its synthetic request is a load error, not a silent skip:
    // a batch limit of 0 is impossible, so use a payload limit the priming bodies exceed
    SnapserveConfig tiny = config(List.of("mlp784")).withMaxPayloadBytes(100);
    try (InferenceService s = InferenceService.create(tiny, o -> {})) {
      assertThatThrownBy(() -> s.prime(1))
          .isInstanceOfSatisfying(
              SnapserveException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_LOAD))
          .hasMessageContaining("priming")
          .hasMessageContaining("413");
    }
  }

  @Test
  void primesModelsWithStaticAndScalarInputs(@TempDir Path tmp) throws java.io.IOException {
    // exported without dynamic axes (torch.onnx.export's default): dim 0 is a fixed 1, or 2
    record Case(String name, List<Object> dims) {}
    for (Case c :
        List.of(
            new Case("fixed1", List.of(1L, 4L)),
            new Case("fixed2", List.of(2L, 3L)),
            new Case("scalar", List.of()),
            new Case("dynamic", List.of("n", 3L)))) {
      Path onnx = tmp.resolve(c.name() + ".onnx");
      java.nio.file.Files.write(
          onnx,
          OnnxWriter.model(
              "Identity",
              List.of(new OnnxWriter.Value("x", OnnxWriter.FLOAT, c.dims())),
              List.of(new OnnxWriter.Value("y", OnnxWriter.FLOAT, c.dims()))));
      ModelBundle b = ModelBundle.fromOnnxFile(onnx, c.name(), "1", SnapserveConfig.defaults());
      try (InferenceService s =
          InferenceService.create(SnapserveConfig.defaults(), List.of(b), o -> {})) {
        assertThat(s.prime(2)).as(c.name()).isEqualTo(2 * (2 + 1));
      }
    }
  }
}
