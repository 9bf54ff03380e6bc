package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
  static final Path HELDOUT = Fixtures.ROOT.resolve("models/testdata/digits-heldout.json");
  static final VerifyOptions.Tolerance WITHIN_1E5 =
      VerifyOptions.Tolerance.parse("abs=1e-5,rel=off,top1=1");

  @TempDir Path tmp;

  static Path model(String bundle) {
    return Fixtures.bundle(bundle).resolve("model.onnx");
  }

  VerifyReport optimizedAgainstOriginal(String bundle, Optimizer.Level level) {
    Path optimized = tmp.resolve(bundle + "-" + level + ".onnx");
    Optimizer.optimize(model(bundle), optimized, level, false);
    // a bundle directory stands for the model its manifest names
    return Verifier.verify(
        Fixtures.bundle(bundle),
        optimized,
        VerifyOptions.defaults().withData(HELDOUT).withTolerance(WITHIN_1E5),
        Progress.NONE);
  }

  @Test
  void optimizedCnnMatchesTheOriginalWithin1e5OnTheHeldOutDigits() {
    VerifyReport r = optimizedAgainstOriginal("digitscnn", Optimizer.Level.BASIC);
    assertThat(r.passed()).as("%s", r.failures()).isTrue();
    assertThat(r.samples()).isEqualTo(360);
    assertThat(r.reference()).isEqualTo(model("digitscnn"));
    VerifyReport.OutputComparison logits = r.outputs().getFirst();
    assertThat(logits.name()).isEqualTo("logits");
    assertThat(logits.elements()).isEqualTo(3600);
    assertThat(logits.maxAbsError()).isLessThanOrEqualTo(1e-5);
    assertThat(logits.top1Agreement()).isEqualTo(1.0);
    // the reference's accuracy on the data file's labels is the one PyTorch measured
    double golden = Fixtures.golden("digitscnn-heldout.json").get("accuracy").asDouble();
    assertThat(logits.referenceAccuracy()).isCloseTo(golden, within(1e-9));
    assertThat(r.sizeRatio()).isEqualTo((double) r.candidateBytes() / r.referenceBytes());
    assertThat(r.referenceLatency().p99Millis())
        .isGreaterThanOrEqualTo(r.referenceLatency().p50Millis());
  }

  @Test
  void optimizedTransformerMatchesTheOriginalWithin1e5AtBothLevels() {
    for (Optimizer.Level level : Optimizer.Level.values()) {
      VerifyReport r = optimizedAgainstOriginal("digitsformer", level);
      assertThat(r.passed()).as("%s: %s", level, r.failures()).isTrue();
      assertThat(r.outputs().getFirst().maxAbsError()).isLessThanOrEqualTo(1e-5);
      double golden = Fixtures.golden("digitsformer-heldout.json").get("accuracy").asDouble();
      assertThat(r.outputs().getFirst().candidateAccuracy()).isCloseTo(golden, within(1e-9));
    }
  }

  @Test
  void perturbedCandidateFailsTheTolerance() {
    Path perturbed = perturb(model("demo"), 1.01f);
    VerifyReport r =
        Verifier.verify(
            model("demo"), perturbed, VerifyOptions.defaults().withData(HELDOUT), Progress.NONE);
    assertThat(r.passed()).isFalse();
    VerifyReport.OutputComparison logits = r.outputs().getFirst();
    assertThat(logits.outOfTolerance()).isPositive();
    assertThat(logits.maxAbsError()).isGreaterThan(1e-3);
    assertThat(r.failures()).singleElement().asString().startsWith("logits: ").contains("outside");
    // the same pair passes a tolerance loose enough for it
    VerifyReport loose =
        Verifier.verify(
            model("demo"),
            perturbed,
            VerifyOptions.defaults()
                .withData(HELDOUT)
                .withTolerance(VerifyOptions.Tolerance.parse("abs=1,rel=0.1,top1=0.9")),
            Progress.NONE);
    assertThat(loose.passed()).as("%s", loose.failures()).isTrue();
  }

  @Test
  void synthesizedInputsAreDeterministicPerSeed() {
    Path perturbed = perturb(model("textcls"), 1.05f);
    VerifyOptions options = VerifyOptions.defaults().withSamples(20);
    VerifyReport a = Verifier.verify(model("textcls"), perturbed, options, Progress.NONE);
    VerifyReport b = Verifier.verify(model("textcls"), perturbed, options, Progress.NONE);
    VerifyReport c =
        Verifier.verify(model("textcls"), perturbed, options.withSeed(7), Progress.NONE);
    assertThat(a.inputs()).isEqualTo("synthesized (seed 42)");
    assertThat(a.samples()).isEqualTo(20);
    assertThat(a.outputs())
        .extracting(VerifyReport.OutputComparison::name)
        .containsExactly("logits", "label");
    assertThat(a.outputs().getFirst().maxAbsError())
        .isPositive()
        .isEqualTo(b.outputs().getFirst().maxAbsError())
        .isNotEqualTo(c.outputs().getFirst().maxAbsError());
  }

  @Test
  void aModelAgreesWithItselfAndReportsProgressPerSample() {
    List<Long> steps = new ArrayList<>();
    long[] total = {0};
    Progress recording =
        (name, t, unit) -> {
          total[0] = t;
          return new Progress.Task() {
            @Override
            public void stepTo(long done) {
              steps.add(done);
            }

            @Override
            public void close() {}
          };
        };
    VerifyReport r =
        Verifier.verify(
            model("seqpool"),
            model("seqpool"),
            VerifyOptions.defaults().withSamples(12),
            recording);
    assertThat(r.passed()).isTrue();
    assertThat(r.outputs().getFirst().maxAbsError()).isZero();
    // [batch, time, 2] is not classifier-shaped: no top-1
    assertThat(r.outputs().getFirst().top1Agreement()).isNull();
    assertThat(total[0]).isEqualTo(12);
    assertThat(steps).hasSize(12).endsWith(12L);
  }

  @Test
  void aDataFileMayNameTheFileHoldingItsInputs() {
    // digitscnn-heldout.json holds logits only; its "inputs" names digits-heldout.json
    Path data = Fixtures.ROOT.resolve("models/testdata/digitscnn-heldout.json");
    VerifyReport r =
        Verifier.verify(
            model("digitscnn"),
            model("digitscnn"),
            VerifyOptions.defaults().withData(data).withSamples(40),
            Progress.NONE);
    assertThat(r.samples()).isEqualTo(40);
    assertThat(r.inputs()).isEqualTo(data.toString());
    assertThat(r.outputs().getFirst().maxAbsError()).isZero();
    // no labels in that file: no accuracies
    assertThat(r.outputs().getFirst().referenceAccuracy()).isNull();
  }

  @Test
  void toleranceParsing() {
    VerifyOptions.Tolerance t = VerifyOptions.Tolerance.parse("abs=1e-4, rel=1e-3,top1=0.99");
    assertThat(t).isEqualTo(new VerifyOptions.Tolerance(1e-4, 1e-3, 0.99));
    assertThat(t.allowed(-10)).isCloseTo(1e-4 + 1e-2, within(1e-12));
    VerifyOptions.Tolerance onlyTop1 = VerifyOptions.Tolerance.parse("abs=off,rel=off,top1=0.95");
    assertThat(onlyTop1.checksElements()).isFalse();
    assertThat(VerifyOptions.Tolerance.parse("abs=1e-6"))
        .isEqualTo(new VerifyOptions.Tolerance(1e-6, 1e-3, 0.99));
    assertThatThrownBy(() -> VerifyOptions.Tolerance.parse("abs=tiny"))
        .isInstanceOf(PackagerException.class)
        .hasMessage("tolerance abs must be a number or off, got 'tiny'");
    assertThatThrownBy(() -> VerifyOptions.Tolerance.parse("top5=0.9"))
        .hasMessageContaining("unknown tolerance key 'top5'");
    assertThatThrownBy(() -> VerifyOptions.Tolerance.parse("top1=1.5"))
        .hasMessageContaining("top1 must be a fraction between 0 and 1");
    assertThatThrownBy(() -> VerifyOptions.Tolerance.parse("1e-4"))
        .hasMessageContaining("is not key=value");
  }

  @Test
  void dataFileWithoutTheModelsInputIsAClearError() throws Exception {
    Path data = Files.writeString(tmp.resolve("d.json"), "{\"inputs\": {\"image\": [[1, 2]]}}");
    assertThatThrownBy(
            () ->
                Verifier.verify(
                    model("demo"),
                    model("demo"),
                    VerifyOptions.defaults().withData(data),
                    Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("has no rows for model input 'pixels' (it has [image])");
  }

  @Test
  void modelsWithDifferentInputsCannotBeCompared() {
    assertThatThrownBy(
            () ->
                Verifier.verify(
                    model("demo"), model("textcls"), VerifyOptions.defaults(), Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("the models take different inputs");
  }

  /** A copy of a model with its largest float initializer scaled by {@code factor}. */
  Path perturb(Path model, float factor) {
    ModelProto m = OnnxFiles.read(model);
    GraphProto.Builder g = m.getGraph().toBuilder();
    int largest = -1;
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE
          && t.hasRawData()
          && (largest < 0
              || t.getRawData().size() > g.getInitializer(largest).getRawData().size())) {
        largest = i;
      }
    }
    TensorProto t = g.getInitializer(largest);
    ByteBuffer raw = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < raw.capacity(); k += 4) raw.putFloat(k, raw.getFloat(k) * factor);
    g.setInitializer(largest, t.toBuilder().setRawData(ByteString.copyFrom(raw.array())));
    Path out = tmp.resolve("perturbed-" + model.getParent().getFileName() + ".onnx");
    OnnxFiles.write(m.toBuilder().setGraph(g).build(), out, false);
    return out;
  }
}
