package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest extends CliRun {
  @TempDir Path tmp;

  /** Each run starts with empty streams. */
  @Override
  int run(String... args) {
    out.reset();
    err.reset();
    return super.run(args);
  }

  @Test
  void packagesABundleForCloudFunctionsAndPrintsJson() {
    String[] args = {
      "package", Fixtures.demo().toString(), "--target", "gcf", "-o", tmp.toString(), "--json"
    };
    assertThat(run(args)).as(err.toString()).isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("entryPoint").asText()).isEqualTo("dev.snapserve.gcp.PredictFunction");
    assertThat(r.get("artifact").asText()).isEqualTo(tmp.resolve("digits-1-gcf").toString());
    assertThat(r.get("deployCommand").asText())
        .startsWith("gcloud functions deploy digits-1 --gen2");
    assertThat(r.get("manifest").get("model").get("sha256").asText()).hasSize(64);
    assertThat(tmp.resolve("digits-1-gcf/model/manifest.json")).isRegularFile();

    assertThat(run(args)).isEqualTo(2);
    assertThat(err.toString()).startsWith("snapserve: ").contains("already exists; pass --force");
  }

  @Test
  void printsTheLambdaHandlerAndSizesAgainstTheLimits() {
    int code =
        run(
            "package",
            Fixtures.demo().resolve("model.onnx").toString(),
            "--name",
            "digits",
            "--version",
            "2",
            "--target",
            "lambda",
            "--arch",
            "x86_64",
            "-o",
            tmp.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("digits-2-lambda-x86_64.zip")
        .contains("handler: dev.snapserve.aws.PredictHandler")
        .containsPattern("unzipped: [0-9.]+ MB of 250\\.0 MB limit")
        .contains("aws lambda create-function --function-name digits-2");
  }

  @Test
  void badValuesAreOneLineErrors() {
    assertThat(run("package", Fixtures.demo().toString(), "--target", "azure")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "snapserve: target must be lambda, gcf or endpoint, got 'azure'"
                + System.lineSeparator());
    assertThat(
            run(
                "package",
                Fixtures.demo().toString(),
                "--target",
                "lambda",
                "--quantize",
                "int4",
                "-o",
                tmp.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("quantization mode must be int8 or fp16, got 'int4'");
  }
}
