package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {
  @TempDir Path tmp;

  private static Path model(String bundle) {
    return Fixtures.bundle(bundle).resolve("model.onnx");
  }

  @Test
  void basicKeepsStandardOpsAndFoldsConstants() throws Exception {
    Path out = tmp.resolve("o.onnx");
    Optimizer.Result r =
        Optimizer.optimize(model("digitsformer"), out, Optimizer.Level.BASIC, false);
    assertThat(r.customDomains()).isEmpty();
    assertThat(r.nodesAfter()).isLessThan(r.nodesBefore());
    assertThat(Files.size(out)).isEqualTo(r.sizeAfter());
  }

  @Test
  void extendedMayEmitOnnxRuntimeOnlyOps() {
    Optimizer.Result r =
        Optimizer.optimize(
            model("digitsformer"), tmp.resolve("e.onnx"), Optimizer.Level.EXTENDED, false);
    assertThat(r.customDomains()).contains("com.microsoft");
  }

  @Test
  void refusesToOverwriteTheInputOrAnExistingFile() throws Exception {
    Path copy = Files.copy(model("demo"), tmp.resolve("in.onnx"));
    byte[] original = Files.readAllBytes(copy);
    assertThatThrownBy(() -> Optimizer.optimize(copy, copy, Optimizer.Level.BASIC, true))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("is the input file");
    Path existing = Files.writeString(tmp.resolve("x.onnx"), "keep me");
    assertThatThrownBy(() -> Optimizer.optimize(copy, existing, Optimizer.Level.BASIC, false))
        .hasMessageContaining("already exists; pass --force");
    assertThat(Files.readString(existing)).isEqualTo("keep me");
    assertThat(Files.readAllBytes(copy)).isEqualTo(original);
  }

  @Test
  void notAnOnnxFileLeavesNothingBehind() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.onnx"), "this is not protobuf");
    assertThatThrownBy(
            () -> Optimizer.optimize(junk, tmp.resolve("out.onnx"), Optimizer.Level.BASIC, false))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("is not an ONNX model");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(junk);
    }
  }
}
