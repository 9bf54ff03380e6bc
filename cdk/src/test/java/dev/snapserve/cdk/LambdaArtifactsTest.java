package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packager seam: one-model zips in, one zip per Lambda target out (no CDK, no Node). */
class LambdaArtifactsTest {
  static DeploymentSpec spec;
  static Target.Lambda fn;
  static List<ModelVersion> versions;
  @TempDir Path dist;

  @BeforeAll
  static void load() {
    spec = DeploymentSpec.load(TestZips.exampleSpec());
    fn = (Target.Lambda) spec.target("fn");
    versions = List.copyOf(spec.models().get("digits").values());
  }

  /** {@link TestZips#packagerZip} of the example spec's {@code digits@version}. */
  /** Builds each missing version's zip as the packager would name it, noting "ref arch". */
  static LambdaArtifacts.VersionPackager recordingPackager(List<String> built) {
    return (v, arch, out) -> {
      built.add(v.ref() + " " + arch.id());
      Path zip = out.resolve(LambdaArtifacts.packagedName(v, fn));
      try {
        packagerZip(zip, v.version(), "jar-bytes");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return zip;
    };
  }

  static void packagerZip(Path zip, String version, String runtimeJar) throws IOException {
    TestZips.packagerZip(
        zip, version, runtimeJar, TestZips.sourceSha256(spec.models().get("digits").get(version)));
  }

  @Test
  void packagedVersionsMergeIntoOneReproducibleZipWithTheRuntimeOnce() throws Exception {
    for (String v : List.of("1", "2", "3")) {
      packagerZip(dist.resolve("digits-" + v + "-lambda-arm64.zip"), v, "jar-bytes");
    }
    Path merged = LambdaArtifacts.packaged(dist).zip(spec, fn, versions);
    assertThat(merged).isEqualTo(dist.resolve("digits-api-fn-lambda-arm64.zip"));
    try (ZipFile zip = new ZipFile(merged.toFile())) {
      assertThat(Collections.list(zip.entries()).stream().map(ZipEntry::getName))
          .containsExactly(
              "lib/snapserve-aws-lambda.jar",
              "models/digits/1/manifest.json",
              "models/digits/1/model.onnx",
              "models/digits/2/manifest.json",
              "models/digits/2/model.onnx",
              "models/digits/3/manifest.json",
              "models/digits/3/model.onnx");
      assertThat(
              new String(
                  zip.getInputStream(zip.getEntry("models/digits/3/model.onnx")).readAllBytes(),
                  StandardCharsets.UTF_8))
          .isEqualTo("onnx-3");
    }
    byte[] first = Files.readAllBytes(merged);
    LambdaArtifacts.packaged(dist).zip(spec, fn, versions);
    assertThat(Files.readAllBytes(merged)).as("same inputs, same bytes").isEqualTo(first);
  }

  @Test
  void missingVersionsFailWithThePackageCommandForEach() throws Exception {
    packagerZip(dist.resolve("digits-1-lambda-arm64.zip"), "1", "jar-bytes");
    assertThatThrownBy(() -> LambdaArtifacts.packaged(dist).zip(spec, fn, versions))
        .isInstanceOf(LambdaArtifactException.class)
        .hasMessageStartingWith(
            "Lambda target 'fn' needs a packaged zip per model version; missing 2 of 3")
        .hasMessageContaining(
            "digitscnn --name digits --version 2 --target lambda --arch arm64 -o ")
        .hasMessageContaining("--name digits --version 3 ")
        .hasMessageNotContaining("--version 1 ");
  }

  @Test
  void zipsWithDifferentRuntimeJarsAreRefused() throws Exception {
    packagerZip(dist.resolve("digits-1-lambda-arm64.zip"), "1", "jar-bytes");
    packagerZip(dist.resolve("digits-2-lambda-arm64.zip"), "2", "other-jar-bytes");
    packagerZip(dist.resolve("digits-3-lambda-arm64.zip"), "3", "jar-bytes");
    assertThatThrownBy(() -> LambdaArtifacts.packaged(dist).zip(spec, fn, versions))
        .isInstanceOf(LambdaArtifactException.class)
        .hasMessageContaining("digits-2-lambda-arm64.zip carries other runtime jars");
    assertThat(dist.resolve("digits-api-fn-lambda-arm64.zip")).doesNotExist();
  }

  @Test
  void aVersionPackagerBuildsOnlyTheMissingZipsAndSaysSo() throws Exception {
    packagerZip(dist.resolve("digits-1-lambda-arm64.zip"), "1", "jar-bytes");
    List<String> built = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path merged =
        LambdaArtifacts.packaged(
                dist, recordingPackager(built), new PrintStream(log, true, StandardCharsets.UTF_8))
            .zip(spec, fn, versions);
    assertThat(built).containsExactly("digits@2 arm64", "digits@3 arm64");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("snapserve-cdk: packaging digits@2 (")
        .contains("digitscnn) for Lambda arm64 -> ")
        .doesNotContain("digits@1");
    try (ZipFile zip = new ZipFile(merged.toFile())) {
      assertThat(zip.getEntry("models/digits/3/model.onnx")).isNotNull();
    }
  }

  @Test
  void aZipBuiltFromAnotherModelIsRebuiltOrNamedAsStale() throws Exception {
    for (String v : List.of("1", "2", "3")) {
      packagerZip(dist.resolve("digits-" + v + "-lambda-arm64.zip"), v, "jar-bytes");
    }
    // digits@2's bundle changed since its zip was built
    TestZips.packagerZip(
        dist.resolve("digits-2-lambda-arm64.zip"), "2", "jar-bytes", "0".repeat(64));
    assertThatThrownBy(() -> LambdaArtifacts.packaged(dist).zip(spec, fn, versions))
        .isInstanceOf(LambdaArtifactException.class)
        .hasMessageContaining("missing 1 of 3")
        .hasMessageContaining("(stale: ")
        .hasMessageContaining("--version 2 --target lambda --arch arm64 -o ")
        .hasMessageContaining(" --force");

    List<String> built = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    LambdaArtifacts.packaged(
            dist, recordingPackager(built), new PrintStream(log, true, StandardCharsets.UTF_8))
        .zip(spec, fn, versions);
    assertThat(built).containsExactly("digits@2 arm64");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("(the zip there was built from another model)");
  }
}
