package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.OperatorSetIdProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, optimize and verify through the CLI, including the bad inputs each must refuse. */
class PackagerCommandsTest extends CliRun {
  static final String HELDOUT =
      Fixtures.ROOT.resolve("models/testdata/digits-heldout.json").toString();

  @TempDir Path tmp;
  Path demo;

  @BeforeEach
  void copyDemo() throws IOException {
    demo = Files.copy(Fixtures.demo().resolve("model.onnx"), tmp.resolve("demo.onnx"));
  }

  /** Each run starts with empty streams. */
  @Override
  int run(String... args) {
    out.reset();
    err.reset();
    return super.run(args);
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.sorted().toList();
    }
  }

  /** Exit 2 with one "snapserve: ..." line naming the problem, and no stack trace. */
  void assertUserError(int code, String message) {
    assertThat(code).as(stdout() + stderr()).isEqualTo(2);
    assertThat(stderr()).startsWith("snapserve: ").contains(message).doesNotContain("\tat ");
    assertThat(stderr().strip().lines()).hasSize(1);
  }

  /** A copy of the demo model changed by {@code edit}, written into the temp directory. */
  Path demoWith(String file, UnaryOperator<ModelProto> edit) {
    Path p = tmp.resolve(file);
    OnnxFiles.write(edit.apply(OnnxFiles.read(demo)), p, false);
    return p;
  }

  @Test
  void inspectPrintsSignatureOpsAndBundleIntegrity() {
    assertThat(run("inspect", Fixtures.demo().toString())).as(stderr()).isZero();
    assertThat(stdout())
        .contains("producer: pytorch")
        .contains("opsets: ai.onnx=13")
        .contains("pixels: FLOAT [batch, 64]")
        .contains("logits: FLOAT [batch, 10]")
        .containsPattern("Gemm +2")
        .contains("custom domains: none")
        .contains("name: digits  version: 1")
        .contains("integrity: OK (sha256 cbd35a97");
  }

  @Test
  void inspectJson() {
    assertThat(run("inspect", "--json", Fixtures.bundle("digitscnn").toString())).isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("irVersion").asInt()).isPositive();
    assertThat(r.get("inputs").get(0).get("shape").toString()).isEqualTo("[\"batch\",64]");
    assertThat(r.get("opHistogram").get("Conv").asInt()).isEqualTo(2);
    assertThat(r.get("bundle").get("manifest").get("name").asText()).isEqualTo("digitscnn");
    assertThat(r.get("bundle").get("integrity").get("ok").asBoolean()).isTrue();
  }

  @Test
  void inspectExitsOneWhenABundleFailsIntegrity() throws IOException {
    Path bundle = Fixtures.copyBundle("demo", tmp.resolve("bundle"));
    Fixtures.editManifest(
        bundle,
        m ->
            ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("model"))
                .put("sha256", "0".repeat(64)));
    assertThat(run("inspect", bundle.toString())).isEqualTo(1);
    assertThat(stdout()).contains("integrity: FAILED: SHA-256 does not match the manifest");
    assertThat(run("inspect", "--json", bundle.toString())).isEqualTo(1);
    assertThat(
            Fixtures.json(out.toByteArray()).get("bundle").get("integrity").get("ok").asBoolean())
        .isFalse();
  }

  @Test
  void optimizeSaysWhenTheOutputNeedsOnnxRuntime() {
    Path transformer = Fixtures.bundle("digitsformer").resolve("model.onnx");
    Path basic = tmp.resolve("basic.onnx");
    assertThat(run("optimize", transformer.toString(), "-o", basic.toString())).isZero();
    assertThat(stdout()).contains("level basic").contains("standard ONNX only");
    Path ext = tmp.resolve("ext.onnx");
    assertThat(
            run(
                "optimize",
                transformer.toString(),
                "-o",
                ext.toString(),
                "--level",
                "extended",
                "--json"))
        .isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("onnxRuntimeOnly").asBoolean()).isTrue();
    assertThat(r.get("customDomains").toString()).contains("com.microsoft");
    assertThat(r.get("sizeAfter").asLong()).isEqualTo(ext.toFile().length());
    assertThat(run("optimize", transformer.toString(), "-o", ext.toString(), "--level", "extended"))
        .isEqualTo(2);
    assertThat(
            run(
                "optimize",
                transformer.toString(),
                "-o",
                ext.toString(),
                "--level",
                "extended",
                "--force"))
        .isZero();
    assertThat(stdout()).contains("runs on ONNX Runtime only");
  }

  @Test
  void verifyPassesAnOptimizedModelAndFailsAPerturbedOne() {
    Path optimized = tmp.resolve("opt.onnx");
    assertThat(run("optimize", demo.toString(), "-o", optimized.toString())).isZero();
    int code =
        run(
            "verify",
            demo.toString(),
            optimized.toString(),
            "--data",
            HELDOUT,
            "--tolerance",
            "abs=1e-5,rel=off");
    assertThat(code).as(stderr()).isZero();
    assertThat(stdout()).contains("360 samples").contains("PASSED").contains("100.00%");

    Path perturbed =
        demoWith(
            "perturbed.onnx",
            m -> {
              // Relu -> Sigmoid: same signature, different numbers
              GraphProto.Builder g = m.getGraph().toBuilder();
              for (int i = 0; i < g.getNodeCount(); i++) {
                if (g.getNode(i).getOpType().equals("Relu")) {
                  g.setNode(i, g.getNode(i).toBuilder().setOpType("Sigmoid"));
                }
              }
              return m.toBuilder().setGraph(g).build();
            });
    assertThat(run("verify", demo.toString(), perturbed.toString(), "--samples", "50"))
        .isEqualTo(1);
    assertThat(stdout()).contains("FAILED:").contains("logits: ").contains("FAIL");
    assertThat(run("verify", "--json", demo.toString(), perturbed.toString(), "--samples", "50"))
        .isEqualTo(1);
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("passed").asBoolean()).isFalse();
    assertThat(r.get("samples").asInt()).isEqualTo(50);
    assertThat(r.get("inputs").asText()).isEqualTo("synthesized (seed 42)");
  }

  @Test
  void badToleranceIsAUserError() {
    assertUserError(
        run("verify", demo.toString(), demo.toString(), "--tolerance", "abs=small"),
        "tolerance abs must be a number or off, got 'small'");
  }

  // ---- bad input: each a clear one-line error, exit 2, nothing left behind ----

  @Test
  void notAnOnnxFile() throws IOException {
    Path junk = Files.writeString(tmp.resolve("model.onnx"), "<html>not a model</html>");
    assertUserError(run("inspect", junk.toString()), junk + " is not an ONNX model");
    assertUserError(
        run("optimize", junk.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "is not an ONNX model");
    assertUserError(run("verify", junk.toString(), demo.toString()), "is not an ONNX model");
    assertThat(files()).containsExactly(demo, junk);
  }

  @Test
  void truncatedProtobuf() throws IOException {
    byte[] bytes = Files.readAllBytes(demo);
    Path cut = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length - 100));
    assertUserError(run("inspect", cut.toString()), "truncated or corrupt");
    assertUserError(
        run("optimize", cut.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "truncated or corrupt");
    assertThat(files()).containsExactly(cut, demo);
  }

  @Test
  void emptyFile() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.onnx"));
    assertUserError(
        run("inspect", empty.toString()), empty + " is not an ONNX model: the file is empty");
    assertUserError(
        run("optimize", empty.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "the file is empty");
    assertThat(files()).containsExactly(demo, empty);
  }

  @Test
  void anOpOnnxRuntimeDoesNotKnow() throws IOException {
    Path unknown =
        demoWith(
            "unknown-op.onnx",
            m -> {
              GraphProto.Builder g = m.getGraph().toBuilder();
              NodeProto relu =
                  g.getNodeList().stream()
                      .filter(n -> n.getOpType().equals("Relu"))
                      .findFirst()
                      .orElseThrow();
              g.setNode(g.getNodeList().indexOf(relu), relu.toBuilder().setOpType("Frobnicate"));
              return m.toBuilder().setGraph(g).build();
            });
    // inspect reads the graph without running it, and shows the op
    assertThat(run("inspect", unknown.toString())).isZero();
    assertThat(stdout()).containsPattern("Frobnicate +1");
    assertUserError(
        run("optimize", unknown.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "ONNX Runtime cannot load " + unknown);
    assertUserError(
        run("verify", demo.toString(), unknown.toString()), "ONNX Runtime cannot load " + unknown);
    assertThat(files()).containsExactly(demo, unknown);
  }

  @Test
  void anOpInADomainOnnxRuntimeDoesNotImplement() throws IOException {
    Path custom =
        demoWith(
            "custom-domain.onnx",
            m -> {
              GraphProto.Builder g = m.getGraph().toBuilder();
              for (int i = 0; i < g.getNodeCount(); i++) {
                if (g.getNode(i).getOpType().equals("Relu")) {
                  g.setNode(i, g.getNode(i).toBuilder().setDomain("com.example.ops"));
                }
              }
              return m.toBuilder()
                  .setGraph(g)
                  .addOpsetImport(
                      OperatorSetIdProto.newBuilder().setDomain("com.example.ops").setVersion(1))
                  .build();
            });
    assertThat(run("inspect", custom.toString())).isZero();
    assertThat(stdout())
        .contains("custom domains: com.example.ops")
        .containsPattern("com.example.ops:Relu +1");
    assertUserError(
        run("optimize", custom.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "ONNX Runtime cannot load " + custom);
    assertUserError(
        run("verify", demo.toString(), custom.toString()), "ONNX Runtime cannot load " + custom);
    assertThat(files()).containsExactly(custom, demo);
  }

  @Test
  void anOpsetOnnxRuntimeDoesNotSupport() throws IOException {
    Path future =
        demoWith(
            "opset-999.onnx",
            m ->
                m.toBuilder()
                    .clearOpsetImport()
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(999))
                    .build());
    assertThat(run("inspect", future.toString())).isZero();
    assertThat(stdout()).contains("opsets: ai.onnx=999");
    assertUserError(
        run("optimize", future.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "ONNX Runtime cannot load " + future);
    assertThat(files()).containsExactly(demo, future);
  }

  @Test
  void aModelWithNoInputs() throws IOException {
    Path none =
        demoWith(
            "no-inputs.onnx",
            m -> m.toBuilder().setGraph(m.getGraph().toBuilder().clearInput()).build());
    assertUserError(run("inspect", none.toString()), none + " has no graph inputs");
    assertUserError(
        run("optimize", none.toString(), "-o", tmp.resolve("o.onnx").toString()),
        "has no graph inputs");
    assertUserError(run("verify", none.toString(), none.toString()), "has no graph inputs");
    assertThat(files()).containsExactly(demo, none);
  }

  @Test
  void outputPathEqualToTheInput() throws IOException {
    byte[] before = Files.readAllBytes(demo);
    assertUserError(
        run("optimize", demo.toString(), "-o", demo.toString(), "--force"), "is the input file");
    // the same file by another name
    assertUserError(
        run("optimize", demo.toString(), "-o", tmp.resolve("./x/../demo.onnx").toString()),
        "is the input file");
    assertThat(Files.readAllBytes(demo)).isEqualTo(before);
    assertThat(files()).containsExactly(demo);
  }

  @Test
  void existingOutputWithoutForce() throws IOException {
    Path existing = Files.writeString(tmp.resolve("out.onnx"), "keep me");
    assertUserError(
        run("optimize", demo.toString(), "-o", existing.toString()),
        existing + " already exists; pass --force to replace it");
    assertThat(Files.readString(existing)).isEqualTo("keep me");
    assertThat(files()).containsExactly(demo, existing);
    assertThat(run("optimize", demo.toString(), "-o", existing.toString(), "--force")).isZero();
    assertThat(run("inspect", existing.toString())).isZero();
  }
}
