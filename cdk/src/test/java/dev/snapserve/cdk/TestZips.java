package dev.snapserve.cdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.spec.ModelVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small stand-ins for the packager's Lambda zip: the constructs only ship it as an asset. */
final class TestZips {
  private TestZips() {}

  /** The repository's example spec. */
  static Path exampleSpec() {
    return Path.of(System.getProperty("snapserve.root"), "snapserve.yaml");
  }

  /** The SHA-256 of {@code v}'s bundle model, as its manifest records it. */
  static String sourceSha256(ModelVersion v) throws IOException {
    Path manifest = v.bundle().resolve("manifest.json");
    return new ObjectMapper().readTree(manifest.toFile()).path("model").path("sha256").asText();
  }

  /**
   * What {@code snapserve package --target lambda} writes: lib/ + model/, its manifest naming the
   * source model's SHA-256.
   */
  static void packagerZip(Path zip, String version, String runtimeJar, String sourceSha256)
      throws IOException {
    Map<String, String> entries =
        Map.of(
            "lib/snapserve-aws-lambda.jar",
            runtimeJar,
            "model/manifest.json",
            "{\"name\":\"digits\",\"version\":\""
                + version
                + "\",\"provenance\":{\"sourceSha256\":\""
                + sourceSha256
                + "\"}}",
            "model/model.onnx",
            "onnx-" + version);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
  }

  static Path lambdaZip(Path dir, String name) throws IOException {
    Path zip = dir.resolve(name);
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("models/digits/1/manifest.json"));
      z.write("{\"name\":\"digits\",\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return zip;
  }
}
