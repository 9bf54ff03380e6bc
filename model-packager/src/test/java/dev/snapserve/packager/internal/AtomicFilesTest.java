package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.packager.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void outputsAreReadableByOthersNotJustTheOwnerOfTheTempFile() throws IOException {
    Path out = tmp.resolve("out.bin");
    AtomicFiles.write(out, false, t -> Files.writeString(t, "data"));
    assertThat(Files.readString(out)).isEqualTo("data");
    assertThat(mode(out)).isEqualTo("rw-r--r--");
  }

  @Test
  void protobufAndOnnxRuntimeWrittenModelsToo() throws IOException {
    Path copy = tmp.resolve("copy.onnx");
    OnnxFiles.write(OnnxFiles.read(Fixtures.demo().resolve("model.onnx")), copy, false);
    assertThat(mode(copy)).isEqualTo("rw-r--r--");
    Path optimized = tmp.resolve("opt.onnx");
    Optimizer.optimize(copy, optimized, Optimizer.Level.BASIC, false);
    assertThat(mode(optimized)).isEqualTo("rw-r--r--");
  }

  @Test
  void aFailingWriterLeavesNoTempFile() {
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    tmp.resolve("out.bin"),
                    false,
                    t -> {
                      Files.writeString(t, "half");
                      throw new IOException("disk full");
                    }))
        .hasMessageContaining("cannot write")
        .hasMessageContaining("disk full");
    assertThat(tmp.toFile().list()).isEmpty();
  }
}
