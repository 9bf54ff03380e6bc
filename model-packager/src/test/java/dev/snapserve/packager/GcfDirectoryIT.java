package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Functions directory served by the real Functions Framework invoker in a fresh JVM, the
 * way the java21 runtime runs a prebuilt jar: the invoker's function classpath is the top-level jar
 * alone (its manifest Class-Path brings {@code lib/}), the working directory is the source root (so
 * the bundle is found at the default {@code model/}), and no SNAPSERVE_* variable is set. The
 * deployable is x86_64 (Cloud Functions' only architecture); on another machine only ONNX Runtime's
 * native libraries come from outside it, this machine's (see the test).
 */
class GcfDirectoryIT {
  static final int ROW = 11;
  @TempDir Path tmp;

  @Test
  void theDeployableServesAHeldOutRowInTheRealInvoker() throws Exception {
    PackageResult packed =
        Packager.pack(
            PackageRequest.builder(Fixtures.demo().resolve("model.onnx"), PackageRequest.Target.GCF)
                .name("digits")
                .version("1")
                .outputDir(tmp)
                .build(),
            Progress.NONE);
    Path source = packed.artifact();
    List<Path> invoker = ChildJvm.testJars("java-function-invoker-");
    assertThat(invoker).hasSize(1);
    List<String> jvmArgs = new ArrayList<>();
    PackageRequest.Arch host = EndpointImageRequest.Arch.host().packageArch();
    if (host != PackageRequest.Arch.X86_64) {
      // Cloud Functions runs on x86_64 only, so the deployable's ONNX Runtime jar keeps only
      // linux-x64's natives, which this machine cannot load. ONNX Runtime loads its natives from
      // the directory -Donnxruntime.native.path names instead of from its jar: this machine's,
      // from the stock jar of the same version. Everything else served is the deployable's.
      jvmArgs.add("-Donnxruntime.native.path=" + hostNatives(source, host));
    }
    int port = freeLoopbackPort();
    jvmArgs.addAll(
        List.of(
            "-jar",
            invoker.getFirst().toString(),
            "--classpath",
            source.resolve("snapserve-gcp-functions.jar").toString(),
            "--target",
            packed.entryPoint(),
            "--port",
            Integer.toString(port)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ChildJvm jvm =
        ChildJvm.start(
            source, Path.of("target", "gcf-invoker.log").toAbsolutePath(), Map.of(), jvmArgs)) {
      awaitReady(jvm, http, port);
      JsonNode heldOut = Fixtures.golden("digits-heldout.json");
      JsonNode row = heldOut.get("inputs").get("pixels").get(ROW);
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/predict"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[" + row + "]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
      JsonNode logits = Fixtures.json(r.body()).get("predictions").get(0);
      assertThat(LambdaZipIT.argMax(logits)).isEqualTo(heldOut.get("labels").get(ROW).asInt());
      assertThat(Fixtures.maxAbsDiff(logits, heldOut.get("outputs").get("logits").get(ROW)))
          .isLessThanOrEqualTo(1e-5);
    }
  }

  /**
   * {@code host}'s ONNX Runtime natives, from the stock jar, in a directory beside {@code source};
   * that jar must be the version the deployable holds.
   */
  private Path hostNatives(Path source, PackageRequest.Arch host) throws Exception {
    Path stock =
        Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(source.resolve("lib").resolve(stock.getFileName())).isRegularFile();
    Path dir = Files.createDirectories(tmp.resolve("natives-" + host.onnxRuntimePlatform()));
    try (ZipFile jar = new ZipFile(stock.toFile())) {
      for (String lib : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
        ZipEntry e =
            jar.getEntry("ai/onnxruntime/native/" + host.onnxRuntimePlatform() + "/" + lib);
        assertThat(e).as(lib + " for " + host.onnxRuntimePlatform() + " in " + stock).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
          Files.copy(in, dir.resolve(lib));
        }
      }
    }
    return dir;
  }

  private static void awaitReady(ChildJvm jvm, HttpClient http, int port) throws Exception {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      if (!jvm.process.isAlive()) {
        throw new AssertionError(
            "invoker exited with " + jvm.process.exitValue() + ":\n" + jvm.output());
      }
      try {
        HttpResponse<String> r = http.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("invoker not ready (" + last + "):\n" + jvm.output());
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
