package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.StringStringEntryProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorTest {
  @TempDir Path tmp;

  @Test
  void describesAPyTorchExportedTransformer() {
    Path file = Fixtures.bundle("digitsformer").resolve("model.onnx");
    ModelReport r = Inspector.inspect(file);
    assertThat(r.producerName()).isEqualTo("pytorch");
    assertThat(r.irVersion()).isPositive();
    assertThat(r.opsets()).containsEntry("ai.onnx", 13L);
    assertThat(r.inputs()).hasSize(1);
    ModelReport.Value pixels = r.inputs().getFirst();
    assertThat(pixels.name()).isEqualTo("pixels");
    assertThat(pixels.dtype()).isEqualTo("FLOAT");
    assertThat(pixels.shapeText()).isEqualTo("[batch, 64]");
    assertThat(r.outputs()).extracting(ModelReport.Value::name).containsExactly("logits");
    assertThat(r.opHistogram()).containsKeys("MatMul", "Softmax");
    assertThat(r.opHistogram().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(r.nodeCount());
    // most frequent op first
    List<Integer> counts = List.copyOf(r.opHistogram().values());
    assertThat(counts).isSortedAccordingTo((a, b) -> b - a);
    assertThat(r.customDomains()).isEmpty();
    // ~6.4 MB file, nearly all of it float32 weights
    assertThat(r.initializerCount()).isPositive();
    assertThat(r.initializerBytes()).isBetween(r.sizeBytes() * 9 / 10, r.sizeBytes());
    assertThat(r.bundle()).isNull();
  }

  @Test
  void bundleReportsManifestAndIntegrity() {
    ModelReport r = Inspector.inspect(Fixtures.demo());
    assertThat(r.modelFile()).isEqualTo(Fixtures.demo().resolve("model.onnx"));
    assertThat(r.bundle().manifest().name()).isEqualTo("digits");
    assertThat(r.bundle().integrity().ok()).isTrue();
    assertThat(r.bundle().integrity().actualSha256())
        .isEqualTo(r.bundle().manifest().model().sha256());
  }

  @Test
  void tamperedBundleIsReportedNotRefused() throws Exception {
    Path bundle = Fixtures.copyBundle("demo", tmp.resolve("b"));
    // same size, different bytes: only the hash can tell
    ModelProto model = OnnxFiles.read(bundle.resolve("model.onnx"));
    byte[] bytes = model.toBuilder().setProducerName("pytorcH").build().toByteArray();
    Files.write(bundle.resolve("model.onnx"), bytes);
    ModelReport r = Inspector.inspect(bundle);
    assertThat(r.producerName()).isEqualTo("pytorcH");
    assertThat(r.bundle().integrity().ok()).isFalse();
    assertThat(r.bundle().integrity().problem()).contains("SHA-256 does not match");
    assertThat(r.bundle().integrity().actualSizeBytes())
        .isEqualTo(r.bundle().integrity().expectedSizeBytes());
  }

  @Test
  void extendedOptimizationShowsUpAsACustomDomain() {
    Path out = tmp.resolve("ext.onnx");
    Optimizer.optimize(
        Fixtures.bundle("digitsformer").resolve("model.onnx"),
        out,
        Optimizer.Level.EXTENDED,
        false);
    ModelReport r = Inspector.inspect(out);
    assertThat(r.customDomains()).contains("com.microsoft");
    assertThat(r.opHistogram().keySet()).anyMatch(op -> op.startsWith("com.microsoft:"));
  }

  @Test
  void multiInputModelWithSymbolicDimsAndMetadata() {
    Path file = Fixtures.bundle("textcls").resolve("model.onnx");
    ModelProto withMeta =
        OnnxFiles.read(file).toBuilder()
            .addMetadataProps(
                StringStringEntryProto.newBuilder().setKey("author").setValue("tests"))
            .build();
    Path copy = tmp.resolve("textcls.onnx");
    OnnxFiles.write(withMeta, copy, false);
    ModelReport r = Inspector.inspect(copy);
    assertThat(r.inputs())
        .extracting(ModelReport.Value::name, ModelReport.Value::dtype, ModelReport.Value::shapeText)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("input_ids", "INT64", "[batch, sequence]"),
            org.assertj.core.groups.Tuple.tuple("attention_mask", "INT64", "[batch, sequence]"));
    assertThat(r.outputs()).extracting(ModelReport.Value::dtype).containsExactly("FLOAT", "INT64");
    assertThat(r.metadata()).containsEntry("author", "tests");
  }

  @Test
  void opsInsideSubgraphsAreCounted() throws Exception {
    ModelProto model = OnnxFiles.read(Fixtures.demo().resolve("model.onnx"));
    int before = Inspector.inspect(Fixtures.demo().resolve("model.onnx")).nodeCount();
    NodeProto identity =
        NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y").build();
    GraphProto branch = GraphProto.newBuilder().setName("branch").addNode(identity).build();
    NodeProto ifNode =
        NodeProto.newBuilder()
            .setOpType("If")
            .addInput("cond")
            .addOutput("z")
            .addAttribute(AttributeProto.newBuilder().setName("then_branch").setG(branch))
            .addAttribute(AttributeProto.newBuilder().setName("else_branch").setG(branch))
            .build();
    Path file = tmp.resolve("if.onnx");
    OnnxFiles.write(
        model.toBuilder().setGraph(model.getGraph().toBuilder().addNode(ifNode)).build(),
        file,
        false);
    ModelReport r = Inspector.inspect(file);
    assertThat(r.nodeCount()).isEqualTo(before + 3);
    assertThat(r.opHistogram()).containsEntry("If", 1).containsEntry("Identity", 2);
  }

  @Test
  void notAnOnnxFile() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.onnx"), "{\"not\": \"protobuf\"}");
    assertThatThrownBy(() -> Inspector.inspect(junk))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining(junk + " is not an ONNX model");
  }

  @Test
  void emptyFile() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.onnx"));
    assertThatThrownBy(() -> Inspector.inspect(empty))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("the file is empty");
  }

  @Test
  void truncatedProtobuf() throws Exception {
    byte[] full = Files.readAllBytes(Fixtures.demo().resolve("model.onnx"));
    Path cut = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> Inspector.inspect(cut))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("not a valid protobuf (truncated or corrupt?)");
  }

  @Test
  void modelWithNoInputs() {
    ModelProto model = OnnxFiles.read(Fixtures.demo().resolve("model.onnx"));
    ModelProto noInputs =
        model.toBuilder().setGraph(model.getGraph().toBuilder().clearInput()).build();
    Path file = tmp.resolve("noinputs.onnx");
    OnnxFiles.write(noInputs, file, false);
    assertThatThrownBy(() -> Inspector.inspect(file))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("has no graph inputs");
  }

  @Test
  void directoryWithoutManifest() {
    assertThatThrownBy(() -> Inspector.inspect(tmp))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("without manifest.json");
  }
}
