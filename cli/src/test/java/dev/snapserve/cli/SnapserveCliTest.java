package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapserveCliTest extends CliRun {

  static String event(String name) {
    return Fixtures.ROOT.resolve("examples/events").resolve(name).toString();
  }

  /** Every command, at any depth, answers --help with its usage on stdout and exit 0. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "serve",
        "invoke-lambda",
        "package",
        "publish",
        "estimate",
        "estimate lambda",
        "estimate sagemaker",
        "estimate compare",
        "prices",
        "prices refresh"
      })
  void everyCommandAnswersHelp(String command) {
    String[] words = command.split(" ");
    String[] args = java.util.Arrays.copyOf(words, words.length + 1);
    args[words.length] = "--help";
    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("Usage: snapserve " + command);
    assertThat(run(words[0], "-h")).isZero();
  }

  @Test
  void printsTheHandlersResponseExactlyAsLambdaWould() {
    int code =
        run(
            "invoke-lambda",
            "--bundle",
            Fixtures.demo().toString(),
            "--event",
            event("apigw-http-v2-predict.json"));
    assertThat(code).as(err.toString()).isZero();
    JsonNode response = Fixtures.json(out.toByteArray());
    assertThat(response.fieldNames())
        .toIterable()
        .containsExactly("statusCode", "headers", "body", "isBase64Encoded");
    assertThat(response.get("statusCode").asInt()).isEqualTo(200);
    JsonNode body = Fixtures.json(response.get("body").asText().getBytes(StandardCharsets.UTF_8));
    JsonNode expected = Fixtures.golden("digits-heldout.json").get("outputs").get("logits").get(0);
    assertThat(Fixtures.maxAbsDiff(body.get("predictions").get(0), expected))
        .isLessThanOrEqualTo(1e-5);
  }

  @Test
  void servesABareOnnxFileWithADerivedManifest() {
    int code =
        run(
            "invoke-lambda",
            "--model",
            Fixtures.demo().resolve("model.onnx").toString(),
            "--name",
            "digits",
            "--event",
            event("alb-predict.json"));
    assertThat(code).as(err.toString()).isZero();
    JsonNode response = Fixtures.json(out.toByteArray());
    assertThat(response.get("statusCode").asInt()).isEqualTo(200);
    assertThat(response.get("statusDescription").asText()).isEqualTo("200 OK");
    assertThat(response.get("headers").get("X-Model-Name").asText()).isEqualTo("digits");
  }

  @Test
  void anErrorStatusStillExitsZero(@TempDir Path tmp) throws Exception {
    Path ev = tmp.resolve("bad.json");
    String good = Files.readString(Path.of(event("apigw-http-v2-predict.json")));
    Files.writeString(ev, good.replace("/v1/predict", "/v7/predict"));
    assertThat(
            run("invoke-lambda", "--bundle", Fixtures.demo().toString(), "--event", ev.toString()))
        .isZero();
    assertThat(Fixtures.json(out.toByteArray()).get("statusCode").asInt()).isEqualTo(404);
  }

  @Test
  void aMissingBundleIsOneClearLineAndExitCode2(@TempDir Path tmp) {
    int code =
        run(
            "invoke-lambda",
            "--bundle",
            tmp.toString(),
            "--event",
            event("apigw-http-v2-predict.json"));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("snapserve: ")
        .contains("has no manifest.json")
        .doesNotContain("\tat ");
  }

  @Test
  void serveRefusesAMissingModelWithOneLine(@TempDir Path tmp) {
    int code = run("serve", "--port", "0", "--model", tmp.resolve("nope.onnx").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("snapserve: no such file or directory")
        .doesNotContain("\tat ");
  }
}
