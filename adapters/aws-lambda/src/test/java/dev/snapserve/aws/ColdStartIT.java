package dev.snapserve.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.testsupport.s3.S3TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 bundle source costs nothing when unused: a fresh JVM that boots the handler from a local
 * bundle loads no AWS SDK class. The same probe with SNAPSERVE_BUNDLE_URI does load them, so the
 * check can fail.
 */
class ColdStartIT {
  @TempDir Path tmp;

  private List<String> sdkClassesLoadedByBoot(Map<String, String> env) throws Exception {
    Path log = tmp.resolve("classes-" + env.size() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xlog:class+load=info:file=" + log,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ColdStartProbe.class.getName());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out-" + env.size() + ".txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor()).as(() -> read(tmp.resolve("out-" + env.size() + ".txt"))).isZero();
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains("software.amazon.awssdk."))
        .toList();
  }

  @Test
  void noSdkClassIsLoadedWithoutABundleUri() throws Exception {
    assertThat(
            sdkClassesLoadedByBoot(
                Map.of(
                    "SNAPSERVE_BUNDLES",
                    Fixtures.demo().toString(),
                    "SNAPSERVE_PRIME_ON_INIT",
                    "false")))
        .isEmpty();
  }

  @Test
  void theSdkIsLoadedWhenTheBundleComesFromS3() throws Exception {
    try (S3TestServer server = S3TestServer.start("cold");
        S3Client s3 = server.client()) {
      for (String f : List.of("model.onnx", "manifest.json")) {
        s3.putObject(
            b -> b.bucket("cold").key("digits/1/" + f),
            RequestBody.fromFile(Fixtures.demo().resolve(f)));
      }
      Map<String, String> env = new HashMap<>(server.clientEnvironment());
      env.put("SNAPSERVE_BUNDLE_URI", "s3://cold/digits/1/");
      env.put("SNAPSERVE_BUNDLE_CACHE_DIR", tmp.resolve("cache").toString());
      env.put("SNAPSERVE_PRIME_ON_INIT", "false");
      assertThat(sdkClassesLoadedByBoot(env)).isNotEmpty();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
