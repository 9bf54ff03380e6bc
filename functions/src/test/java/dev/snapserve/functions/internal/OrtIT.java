package dev.snapserve.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ort#environment()} survives a long command line, as a real {@code java -cp} of a Lambda
 * zip's or a build's jars can be, on the JVM's default 1 MiB main-thread stack. Whether ONNX
 * Runtime's own call would crash there depends on the machine (it does on the x86-64 Debian 12
 * machine this was written on, not on the CI machine), so that is not asserted here; where it does
 * not crash, this test shows only that {@code Ort} works, not that its large stack is needed.
 */
class OrtIT {
  @TempDir Path dir;

  /** A fresh JVM whose command line is ~20,000 characters: the real classpath plus padding. */
  private Result probe(String... jvmOptions) throws Exception {
    String padding =
        IntStream.range(0, 500)
            .mapToObj(i -> "/nonexistent/snapserve-padding-" + i)
            .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss1m",
                "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path") + File.pathSeparator + padding,
            OrtEnvironmentProbe.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("ORT_DISABLE_TELEMETRY"); // the switch that avoids the regex
    Path out = dir.resolve("probe.txt");
    Process p = pb.redirectOutput(out.toFile()).start();
    return new Result(p.waitFor(), Files.readString(out));
  }

  record Result(int exitCode, String output) {}

  @Test
  void theEnvironmentIsCreatedDespiteALongCommandLine() throws Exception {
    Result r = probe();
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("created true");
  }

  /**
   * Where ONNX Runtime cannot unpack its native library, each call gets the same one-line reason
   * (not an ExceptionInInitializerError, nor a NoClassDefFoundError on the second call).
   */
  @Test
  void aRuntimeThatCannotStartIsAClearErrorEveryTime() throws Exception {
    Path missing = dir.resolve("no-such-tmp");
    Result r = probe("-Djava.io.tmpdir=" + missing);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.output().lines().filter(l -> l.startsWith("error ")))
        .hasSize(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("MODEL_LOAD: ONNX Runtime could not start: ")
                    .contains("java.io.tmpdir=" + missing));
  }
}
