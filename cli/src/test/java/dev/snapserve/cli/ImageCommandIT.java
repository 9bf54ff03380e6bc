package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end on a real build. An IT because the packager finds the server's jars as
 * packaged jars, which exist from Maven's package phase on.
 */
class ImageCommandIT extends CliRun {
  @TempDir Path dir;

  @Test
  void buildsAnArm64ImageOnABaseThatHasJava() throws Exception {
    Path tar = dir.resolve("digits-arm64.tar");
    int code =
        run(
            "image",
            Fixtures.demo().toString(),
            "-o",
            tar.toString(),
            "--arch",
            "arm64",
            "--base",
            "scratch",
            "--base-java",
            "/opt/java/openjdk/bin/java",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("arch").asText()).isEqualTo("ARM64");
    assertThat(r.get("image").asText()).isEqualTo("snapserve/digits:1");
    assertThat(r.get("digest").asText()).startsWith("sha256:");
    assertThat(r.get("sizeBytes").asLong()).isEqualTo(Files.size(tar));
    assertThat(r.get("entrypoint").get(0).asText()).isEqualTo("/opt/java/openjdk/bin/java");
    assertThat(r.findValuesAsText("name"))
        .containsExactly("dependencies", "onnxruntime", "app", "model");
    // only linux-aarch64's natives are left of the four platforms the stock jar carries
    long stockJar =
        Files.size(
            Path.of(
                OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    assertThat(r.get("layers").get(1).get("contentBytes").asLong()).isLessThan(stockJar / 2);
  }
}
