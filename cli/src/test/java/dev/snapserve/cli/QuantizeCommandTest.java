package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest extends CliRun {
  final String demo = Fixtures.demo().resolve("model.onnx").toString();

  @TempDir Path dir;

  @Test
  void printsTheResultAsJson() throws Exception {
    Path target = dir.resolve("int8.onnx");
    int code = run("quantize", demo, "-o", target.toString(), "--mode", "int8", "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("mode").asText()).isEqualTo("INT8");
    assertThat(r.get("quantized")).hasSize(2);
    assertThat(r.get("sizeAfter").asLong()).isEqualTo(Files.size(target));
    assertThat(r.get("sizeRatio").asDouble()).isGreaterThan(1);
    assertThat(r.get("notes").toString()).contains("basic optimization");
  }

  @Test
  void printsAReadableSummary() {
    Path target = dir.resolve("fp16.onnx");
    int code = run("quantize", demo, "-o", target.toString(), "--mode", "fp16");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("(fp16)", "x smaller", "initializers converted: 5");
  }

  @Test
  void userErrorsAreOneLineAndExitTwo() {
    assertThat(run("quantize", demo, "-o", demo, "--mode", "int8")).isEqualTo(2);
    assertThat(err.toString()).startsWith("snapserve: ").contains("is the input file");
    assertThat(err.toString().strip().lines()).hasSize(1);

    err.reset();
    assertThat(run("quantize", demo, "-o", dir.resolve("x.onnx").toString(), "--mode", "int4"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "snapserve: quantization mode must be int8 or fp16, got 'int4'"
                + System.lineSeparator());
    assertThat(dir.resolve("x.onnx")).doesNotExist();

    err.reset();
    String x = dir.resolve("x.onnx").toString();
    assertThat(run("quantize", demo, "-o", x, "--mode", "fp16", "--weights", "s8")).isEqualTo(2);
    assertThat(err.toString()).contains("--weights applies to --mode int8 only");
    err.reset();
    assertThat(run("quantize", demo, "-o", x, "--mode", "int8", "--weights", "s4")).isEqualTo(2);
    assertThat(err.toString()).contains("int8 weights must be u8, s8 or s7, got 's4'");
    assertThat(dir.resolve("x.onnx")).doesNotExist();
  }

  @Test
  void weightsS8IsSaidInTheNotes() throws Exception {
    Path target = dir.resolve("s8.onnx");
    int code =
        run(
            "quantize",
            demo,
            "-o",
            target.toString(),
            "--mode",
            "int8",
            "--weights",
            "s8",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    assertThat(Fixtures.json(out.toByteArray()).get("notes").toString())
        .contains("--weights s8", "without VNNI");
  }
}
