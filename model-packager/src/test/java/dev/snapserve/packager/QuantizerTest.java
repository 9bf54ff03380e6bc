package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.packager.QuantizeOptions.Mode;
import dev.snapserve.packager.QuantizeOptions.Weights;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.OperatorSetIdProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorShapeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TypeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizerTest {
  private static final OrtEnvironment ENV = Ort.environment();
  private static final Map<String, float[][]> INPUTS = new ConcurrentHashMap<>();

  @TempDir Path dir;

  static Path model(String fixture) {
    return Fixtures.bundle(fixture).resolve("model.onnx");
  }

  /** The 360 held-out digits rows; for mlp784 its 4 golden rows plus 252 seeded uniform rows. */
  static float[][] inputs(String fixture) {
    return INPUTS.computeIfAbsent(
        fixture,
        f -> {
          if (!f.equals("mlp784")) {
            return floats(Fixtures.golden("digits-heldout.json").get("inputs").get("pixels"));
          }
          float[][] golden =
              floats(Fixtures.golden("mlp784-golden.json").get("inputs").get("input"));
          float[][] rows = new float[256][];
          Random random = new Random(784);
          for (int r = 0; r < rows.length; r++) {
            rows[r] = r < golden.length ? golden[r] : new float[784];
            if (r >= golden.length) for (int i = 0; i < 784; i++) rows[r][i] = random.nextFloat();
          }
          return rows;
        });
  }

  static float[][] floats(JsonNode rows) {
    float[][] out = new float[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new float[rows.get(r).size()];
      for (int i = 0; i < out[r].length; i++) out[r][i] = rows.get(r).get(i).floatValue();
    }
    return out;
  }

  /** The model's first output on {@code rows}, computed by ONNX Runtime. */
  static float[][] run(Path model, float[][] rows) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = ENV.createSession(model.toString(), options);
        OnnxTensor x = OnnxTensor.createTensor(ENV, rows);
        OrtSession.Result result =
            session.run(Map.of(session.getInputNames().iterator().next(), x))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  static double top1Agreement(float[][] a, float[][] b) {
    int same = 0;
    for (int r = 0; r < a.length; r++) if (argmax(a[r]) == argmax(b[r])) same++;
    return (double) same / a.length;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int r = 0; r < a.length; r++) {
      for (int i = 0; i < a[r].length; i++) max = Math.max(max, Math.abs(a[r][i] - b[r][i]));
    }
    return max;
  }

  static double maxAbs(float[][] a) {
    double max = 0;
    for (float[] row : a) for (float v : row) max = Math.max(max, Math.abs(v));
    return max;
  }

  static long count(ModelProto model, String op) {
    return model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp784", "digitscnn", "digitsformer"})
  void int8IsAtLeast3point5TimesSmallerAndAgreesOnTop1(String fixture) throws Exception {
    Path out = dir.resolve(fixture + "-int8.onnx");
    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(model(fixture), out, Mode.INT8));

    assertThat(r.sizeRatio()).isGreaterThanOrEqualTo(3.5);
    assertThat(r.sizeAfter()).isEqualTo(Files.size(out));
    assertThat(r.sizeBefore()).isEqualTo(Files.size(model(fixture)));
    float[][] rows = inputs(fixture);
    assertThat(top1Agreement(run(model(fixture), rows), run(out, rows)))
        .isGreaterThanOrEqualTo(0.99);
    ModelProto q = OnnxFiles.read(out);
    assertThat(count(q, "MatMulInteger")).isPositive();
    assertThat(count(q, "DynamicQuantizeLinear")).isPositive();
    assertThat(r.notes()).contains(Quantizer.BASIC_NOTE);
  }

  @Test
  void int8OnTheSmallDemoModelQuantizesBothGemmsAndAgreesOnTop1() throws Exception {
    Path out = dir.resolve("demo-int8.onnx");
    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(model("demo"), out, Mode.INT8));
    // 64-64-10: the weights are most of its 20 KB, but names and graph overhead weigh more
    assertThat(r.sizeRatio()).isGreaterThan(2.0);
    assertThat(r.quantized()).hasSize(2);
    float[][] rows = inputs("demo");
    assertThat(top1Agreement(run(model("demo"), rows), run(out, rows)))
        .isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void convWeightsAreInt8PerOutputChannelAndFoldableToFloat() throws Exception {
    Path out = dir.resolve("cnn-int8.onnx");
    Quantizer.quantize(QuantizeOptions.of(model("digitscnn"), out, Mode.INT8));
    ModelProto q = OnnxFiles.read(out);
    Map<String, NodeProto> producers = new java.util.HashMap<>();
    for (NodeProto n : q.getGraph().getNodeList()) producers.put(n.getOutput(0), n);
    assertThat(count(q, "Conv")).isEqualTo(2);
    for (NodeProto conv : q.getGraph().getNodeList()) {
      if (!conv.getOpType().equals("Conv")) continue;
      // weight = Mul(Cast(int8 weight), scales[M,1,1,1]): constants only, folded at load
      NodeProto mul = producers.get(conv.getInput(1));
      assertThat(mul.getOpType()).isEqualTo("Mul");
      NodeProto cast = producers.get(mul.getInput(0));
      assertThat(cast.getOpType()).isEqualTo("Cast");
      TensorProto w = initializer(q, cast.getInput(0));
      TensorProto scales = initializer(q, mul.getInput(1));
      assertThat(w.getDataType()).isEqualTo(TensorProto.DataType.INT8_VALUE);
      assertThat(w.getDimsCount()).isEqualTo(4);
      assertThat(scales.getDimsList()).containsExactly(w.getDims(0), 1L, 1L, 1L);
      assertThat(new java.util.HashSet<>(toFloats(scales))).hasSizeGreaterThan(1);
    }
  }

  static java.util.List<Float> toFloats(TensorProto t) {
    java.nio.FloatBuffer b =
        t.getRawData()
            .asReadOnlyByteBuffer()
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    java.util.List<Float> out = new java.util.ArrayList<>();
    while (b.hasRemaining()) out.add(b.get());
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "mlp784", "digitscnn", "digitsformer"})
  void fp16IsAboutHalfTheSizeWithinTolerance(String fixture) throws Exception {
    Path out = dir.resolve(fixture + "-fp16.onnx");
    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(model(fixture), out, Mode.FP16));

    assertThat(r.sizeRatio()).isGreaterThanOrEqualTo(1.8);
    // float16 keeps 11 significant bits: each weight moves by at most 2^-11 of its magnitude
    assertThat(r.maxAbsWeightError()).isPositive().isLessThan(1e-3);
    float[][] rows = inputs(fixture);
    float[][] fp32 = run(model(fixture), rows);
    float[][] fp16 = run(out, rows);
    // per-weight relative error <= 2^-11 (4.9e-4); rounding errors of independent weights
    // partly cancel, so outputs move well under 0.5% of the largest logit
    assertThat(maxAbsDiff(fp32, fp16)).isLessThanOrEqualTo(5e-3 * maxAbs(fp32));
    assertThat(top1Agreement(fp32, fp16)).isGreaterThanOrEqualTo(0.99);
    try (OrtSession s = ENV.createSession(out.toString(), new OrtSession.SessionOptions())) {
      assertThat(s.getInputInfo().values().iterator().next().getInfo().toString())
          .contains("FLOAT"); // inputs stay float32
      assertThat(s.getOutputInfo().values().iterator().next().getInfo().toString())
          .contains("FLOAT");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "mlp784", "digitscnn", "digitsformer"})
  void basicOptimizationKeepsOutputsWithin1eMinus5(String fixture) throws Exception {
    Path out = dir.resolve(fixture + "-basic.onnx");
    Optimizer.optimize(model(fixture), out, Optimizer.Level.BASIC, false);
    float[][] rows = inputs(fixture);
    assertThat(maxAbsDiff(run(model(fixture), rows), run(out, rows))).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void gemmAlphaAndBetaAreFoldedIntoScalesAndBias() throws Exception {
    ModelProto demo = OnnxFiles.read(model("demo"));
    GraphProto.Builder g = gemmsScaled(demo, 0.5f, 3f);
    Path scaled = write(demo.toBuilder().setGraph(g).build(), "alpha-beta.onnx");
    Path out = dir.resolve("alpha-beta-int8.onnx");

    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(scaled, out, Mode.INT8));

    assertThat(r.quantized()).hasSize(2);
    float[][] rows = inputs("demo");
    float[][] fp32 = run(scaled, rows);
    float[][] int8 = run(out, rows);
    assertThat(top1Agreement(fp32, int8)).isGreaterThanOrEqualTo(0.99);
    assertThat(maxAbsDiff(fp32, int8)).isLessThan(0.05 * maxAbs(fp32));
    assertThat(maxAbsDiff(run(model("demo"), rows), int8)).isGreaterThan(0.5); // alpha counted
    // the biases beta scaled into new initializers are not kept as well
    ModelProto q = OnnxFiles.read(out);
    Set<String> read = new HashSet<>();
    q.getGraph().getNodeList().forEach(n -> read.addAll(n.getInputList()));
    assertThat(q.getGraph().getInitializerList())
        .extracting(TensorProto::getName)
        .allSatisfy(name -> assertThat(read).contains(name));
  }

  /** A bias the caller may override (also a graph input) cannot be pre-scaled by beta. */
  @Test
  void gemmWithBetaOnAnOverridableBiasIsSkipped() throws Exception {
    ModelProto demo = OnnxFiles.read(model("demo"));
    GraphProto.Builder g = gemmsScaled(demo, 1f, 3f);
    NodeProto gemm = ops(demo, "Gemm").getFirst();
    String bias = gemm.getInput(2);
    TensorProto c = initializer(demo, bias);
    g.addInput(
        ValueInfoProto.newBuilder()
            .setName(bias)
            .setType(
                TypeProto.newBuilder()
                    .setTensorType(
                        TypeProto.Tensor.newBuilder()
                            .setElemType(c.getDataType())
                            .setShape(
                                TensorShapeProto.newBuilder()
                                    .addDim(
                                        TensorShapeProto.Dimension.newBuilder()
                                            .setDimValue(c.getDims(0)))))));
    Path overridable =
        write(demo.toBuilder().setIrVersion(4).setGraph(g).build(), "beta-input.onnx");
    Path out = dir.resolve("beta-input-int8.onnx");

    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(overridable, out, Mode.INT8));

    assertThat(r.skipped())
        .anySatisfy(
            k ->
                assertThat(k.reason())
                    .isEqualTo("bias C is also a graph input (overridable) and beta=3.0"));
    assertThat(initializer(OnnxFiles.read(out), bias)).isEqualTo(c);
  }

  /** {@code m}'s graph with every Gemm's alpha and beta set (PyTorch writes both attributes). */
  static GraphProto.Builder gemmsScaled(ModelProto m, float alpha, float beta) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto.Builder n = g.getNodeBuilder(i);
      if (!n.getOpType().equals("Gemm")) continue;
      for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
        if (a.getName().equals("alpha")) a.setF(alpha);
        if (a.getName().equals("beta")) a.setF(beta);
      }
    }
    return g;
  }

  @Test
  void importsOfUnusedDomainsAreDropped() {
    Path out = dir.resolve("imports.onnx");
    Quantizer.quantize(QuantizeOptions.of(model("mlp784"), out, Mode.INT8));
    assertThat(OnnxFiles.read(out).getOpsetImportList())
        .extracting(OperatorSetIdProto::getDomain)
        .containsExactly("");
  }

  @Test
  void weightsHeldInConstantNodesAreQuantizedToo() throws Exception {
    ModelProto demo = OnnxFiles.read(model("demo"));
    GraphProto.Builder g = demo.getGraph().toBuilder().clearInitializer().clearNode();
    for (TensorProto t : demo.getGraph().getInitializerList()) {
      g.addNode(
          NodeProto.newBuilder()
              .setOpType("Constant")
              .setName("const_" + t.getName())
              .addOutput(t.getName())
              .addAttribute(
                  AttributeProto.newBuilder()
                      .setName("value")
                      .setType(AttributeProto.AttributeType.TENSOR)
                      .setT(t)));
    }
    g.addAllNode(demo.getGraph().getNodeList());
    Path constants = write(demo.toBuilder().setGraph(g).build(), "constants.onnx");
    Path out = dir.resolve("constants-int8.onnx");

    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(constants, out, Mode.INT8));

    assertThat(r.quantized()).hasSize(2);
    assertThat(count(OnnxFiles.read(out), "Constant")).isZero();
    float[][] rows = inputs("demo");
    assertThat(top1Agreement(run(model("demo"), rows), run(out, rows)))
        .isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void anOldOpsetWhoseOpsDidNotChangeIsRaised() throws Exception {
    Path old = write(withOpset(OnnxFiles.read(model("demo")), 9), "opset9.onnx");
    Path out = dir.resolve("opset9-int8.onnx");

    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(old, out, Mode.INT8));

    assertThat(r.opsetBefore()).isEqualTo(9);
    assertThat(r.opsetAfter()).isEqualTo(11);
    assertThat(r.notes()).anyMatch(n -> n.contains("from 9 to 11"));
    float[][] rows = inputs("demo");
    assertThat(top1Agreement(run(old, rows), run(out, rows))).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void anOldOpsetWithAnOpThatChangedMeaningIsRefused() throws IOException {
    // demo + Softmax(axis=1) on the logits, at opset 10 (Softmax's meaning changed in 13)
    ModelProto demo = OnnxFiles.read(model("demo"));
    GraphProto.Builder g = demo.getGraph().toBuilder();
    String logits = g.getOutput(0).getName();
    int last = g.getNodeCount() - 1;
    g.setNode(last, g.getNode(last).toBuilder().setOutput(0, "pre_softmax"));
    g.addNode(
        NodeProto.newBuilder()
            .setOpType("Softmax")
            .setName("probabilities")
            .addInput("pre_softmax")
            .addOutput(logits)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("axis")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    Path old = write(withOpset(demo.toBuilder().setGraph(g).build(), 10), "softmax10.onnx");
    Path out = dir.resolve("softmax10-int8.onnx");

    assertThatThrownBy(() -> Quantizer.quantize(QuantizeOptions.of(old, out, Mode.INT8)))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("opset 10")
        .hasMessageContaining("Softmax")
        .hasMessageContaining("re-export");
    assertThat(out).doesNotExist();
    // ... while fp16 inserts only Cast and needs no upgrade
    assertThat(Quantizer.quantize(QuantizeOptions.of(old, out, Mode.FP16)).opsetAfter())
        .isEqualTo(10);
  }

  @Test
  void outputEqualToTheInputIsRefused() throws IOException {
    Path copy = Files.copy(model("demo"), dir.resolve("model.onnx"));
    byte[] before = Files.readAllBytes(copy);
    assertThatThrownBy(() -> Quantizer.quantize(QuantizeOptions.of(copy, copy, Mode.INT8)))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("is the input file");
    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
  }

  @Test
  void anExistingOutputIsReplacedOnlyWithForce() throws IOException {
    Path out = Files.writeString(dir.resolve("out.onnx"), "keep me");
    QuantizeOptions options = QuantizeOptions.of(model("demo"), out, Mode.FP16);
    assertThatThrownBy(() -> Quantizer.quantize(options))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("--force");
    assertThat(Files.readString(out)).isEqualTo("keep me");

    Quantizer.quantize(options.withForce(true));
    assertThat(OnnxFiles.read(out).getGraph().getNodeCount()).isPositive();
  }

  @Test
  void notAnOnnxFileIsRefusedAndNothingIsWritten() throws IOException {
    Path bogus = Files.writeString(dir.resolve("bogus.onnx"), "not a model");
    Path out = dir.resolve("bogus-int8.onnx");
    assertThatThrownBy(() -> Quantizer.quantize(QuantizeOptions.of(bogus, out, Mode.INT8)))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("bogus.onnx");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bogus.onnx");
    }
  }

  @Test
  void s7WeightsAreSevenBit() throws Exception {
    Path out = dir.resolve("reduced.onnx");
    QuantizeResult r =
        Quantizer.quantize(
            QuantizeOptions.of(model("digitscnn"), out, Mode.INT8).withWeights(Weights.S7));
    ModelProto q = OnnxFiles.read(out);
    assertThat(count(q, "MatMulInteger")).isPositive();
    for (NodeProto n : q.getGraph().getNodeList()) {
      if (!n.getOpType().equals("MatMulInteger")) continue;
      assertThat(n.getInputCount()).isEqualTo(3); // signed weights: zero point 0
      TensorProto w = initializer(q, n.getInput(1));
      assertThat(w.getDataType()).isEqualTo(TensorProto.DataType.INT8_VALUE);
      for (byte b : w.getRawData().toByteArray()) assertThat((int) b).isBetween(-63, 63);
    }
    assertThat(r.notes()).contains(Quantizer.weightsNote(Weights.S7));
    float[][] rows = inputs("digitscnn");
    assertThat(top1Agreement(run(model("digitscnn"), rows), run(out, rows)))
        .isGreaterThanOrEqualTo(0.99);
  }

  /**
   * The default stores each MatMul weight as the signed one plus 128, with zero point 128: the same
   * arithmetic, but ONNX Runtime then uses its uint8 x uint8 kernels, which do not saturate on x86
   * CPUs without VNNI (its uint8 x int8 kernel does there, and accuracy drops).
   */
  @ParameterizedTest
  @ValueSource(strings = {"demo", "digitsformer"})
  void defaultWeightsAreTheSignedOnesPlus128WithZeroPoint128(String fixture) throws Exception {
    Path u8 = dir.resolve(fixture + "-u8.onnx");
    Path s8 = dir.resolve(fixture + "-s8.onnx");
    QuantizeResult r = Quantizer.quantize(QuantizeOptions.of(model(fixture), u8, Mode.INT8));
    Quantizer.quantize(QuantizeOptions.of(model(fixture), s8, Mode.INT8).withWeights(Weights.S8));
    assertThat(r.notes()).contains(Quantizer.weightsNote(Weights.U8));
    ModelProto unsigned = OnnxFiles.read(u8);
    ModelProto signed = OnnxFiles.read(s8);
    List<NodeProto> uNodes = ops(unsigned, "MatMulInteger");
    List<NodeProto> sNodes = ops(signed, "MatMulInteger");
    assertThat(uNodes).isNotEmpty().hasSameSizeAs(sNodes);
    for (int i = 0; i < uNodes.size(); i++) {
      NodeProto u = uNodes.get(i);
      assertThat(u.getInputCount()).isEqualTo(4);
      TensorProto zeroPoint = initializer(unsigned, u.getInput(3));
      assertThat(zeroPoint.getDataType()).isEqualTo(TensorProto.DataType.UINT8_VALUE);
      assertThat(zeroPoint.getDimsCount()).isZero();
      assertThat(zeroPoint.getRawData().byteAt(0) & 0xff).isEqualTo(128);
      TensorProto uw = initializer(unsigned, u.getInput(1));
      TensorProto sw = initializer(signed, sNodes.get(i).getInput(1));
      assertThat(uw.getDataType()).isEqualTo(TensorProto.DataType.UINT8_VALUE);
      assertThat(uw.getDimsList()).isEqualTo(sw.getDimsList());
      byte[] ub = uw.getRawData().toByteArray();
      byte[] sb = sw.getRawData().toByteArray();
      assertThat(ub).hasSameSizeAs(sb);
      for (int j = 0; j < ub.length; j++) assertThat((ub[j] & 0xff) - 128).isEqualTo((int) sb[j]);
    }
  }

  static List<NodeProto> ops(ModelProto m, String op) {
    return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList();
  }

  static TensorProto initializer(ModelProto m, String name) {
    return m.getGraph().getInitializerList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static ModelProto withOpset(ModelProto m, long version) {
    return m.toBuilder()
        .clearOpsetImport()
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(version))
        .build();
  }

  Path write(ModelProto m, String name) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, m.toByteArray());
    return p;
  }
}
