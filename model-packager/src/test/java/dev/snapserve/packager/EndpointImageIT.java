package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.snapserve.functions.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the endpoint image for this machine's architecture on a local base tarball (the libc and
 * libstdc++ ONNX Runtime and the JVM need, taken from this machine: no registry), then runs it the
 * way a container runtime would: its layers extracted into an empty root, /proc and /dev
 * bind-mounted in a private mount namespace, {@code chroot} into it, the image's entrypoint,
 * command and environment. Nothing of the host's Java or Maven repository is visible inside, so
 * this proves the image is complete.
 *
 * <p>A mount namespace needs root with CAP_SYS_ADMIN or an unprivileged user namespace; where the
 * machine allows neither, the entrypoint runs without chroot, its paths rewritten into the
 * extracted root, so the image's own JRE, jars, native libraries and model still serve (see {@link
 * Isolation}, which also says how to force a mode). The endpoint is packaged for this machine's
 * architecture, since jlink links the running JDK.
 */
class EndpointImageIT {
  /** jlink links the running JDK, so the image is for this machine (and runs here). */
  static final PackageRequest.Arch HOST = EndpointImageRequest.Arch.host().packageArch();

  @TempDir static Path dir;
  static Path baseTar;
  static EndpointImageResult first;

  @BeforeAll
  static void buildTwice() throws Exception {
    baseTar = LocalBase.build(dir.resolve("base"));
    first = EndpointImage.build(request(dir.resolve("a/image.tar")), Progress.NONE);
  }

  static EndpointImageRequest request(Path out) {
    return EndpointImageRequest.of(Fixtures.demo(), out)
        .withImage("snapserve-test/digits:1")
        .withBaseImage("tar://" + baseTar);
  }

  @Test
  void sameInputsGiveAByteIdenticalTarball() throws Exception {
    List<String> tasks = new ArrayList<>();
    EndpointImageResult second =
        EndpointImage.build(
            request(dir.resolve("b/image.tar")),
            (name, total, unit) -> {
              tasks.add(name);
              return Progress.Task.NONE;
            });
    assertThat(tasks).containsExactly("jlink", "image");
    assertThat(PackagerTest.sha256(second.output())).isEqualTo(PackagerTest.sha256(first.output()));
    assertThat(second.digest()).isEqualTo(first.digest()).startsWith("sha256:");
  }

  @Test
  void packageTargetEndpointBuildsTheImageAroundTheQuantizedBundle() throws Exception {
    PackageResult r =
        Packager.pack(
            PackageRequest.builder(Fixtures.demo(), PackageRequest.Target.ENDPOINT)
                .arch(HOST)
                .quantize(QuantizeOptions.Mode.FP16)
                .baseImage("tar://" + baseTar)
                .outputDir(dir.resolve("packaged"))
                .build(),
            Progress.NONE);
    assertThat(r.artifact().getFileName()).hasToString("digits-1-endpoint-" + HOST.id() + ".tar");
    assertThat(r.artifactBytes()).isEqualTo(Files.size(r.artifact()));
    assertThat(r.entryPoint()).endsWith("dev.snapserve.server.Serve");
    assertThat(r.deployCommand()).startsWith("snapserve publish " + r.artifact() + " --ecr ");
    // the image's model layer holds the bundle the packager wrote: fp16, and its manifest says so
    Path root = extractRoot(r.artifact(), dir.resolve("packaged-root"));
    Path manifest = root.resolve("opt/ml/model/manifest.json");
    assertThat(Fixtures.readJson(manifest).get("optimizations").get(0).get("level").asText())
        .isEqualTo("fp16");
    assertThat(Files.size(root.resolve("opt/ml/model/model.onnx")))
        .isLessThan(Files.size(Fixtures.demo().resolve("model.onnx")));
  }

  @Test
  void resultAndConfigCarrySageMakersContract() throws Exception {
    assertThat(first.layers())
        .extracting(EndpointImageResult.Layer::name)
        .containsExactly("jre", "dependencies", "onnxruntime", "app", "model");
    assertThat(first.sizeBytes()).isEqualTo(Files.size(first.output()));
    assertThat(first.cmd()).containsExactly("serve");
    Path unpacked = untar(first.output(), dir.resolve("config-check"));
    JsonNode config = imageConfig(unpacked);
    assertThat(config.get("architecture").asText()).isEqualTo(first.arch().oci());
    assertThat(
            config
                .at("/config/Labels/com.amazonaws.sagemaker.capabilities.accept-bind-to-port")
                .asText())
        .isEqualTo("true");
    assertThat(config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(env(config))
        .containsEntry("SNAPSERVE_HOST", "0.0.0.0")
        .containsEntry("SNAPSERVE_BUNDLES", "/opt/ml/model")
        .containsEntry("ORT_DISABLE_TELEMETRY", "1");
  }

  @Test
  void onnxRuntimeKeepsOnlyTheImagesNativeLibrary() throws Exception {
    Path root = extractRoot(first.output(), dir.resolve("root-ort"));
    Path ort;
    try (var files = Files.list(root.resolve("opt/snapserve/lib"))) {
      ort =
          files
              .filter(p -> p.getFileName().toString().startsWith("onnxruntime"))
              .findFirst()
              .orElseThrow();
    }
    Set<String> platforms = new TreeSet<>();
    try (ZipFile zip = new ZipFile(ort.toFile())) {
      zip.stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("ai/onnxruntime/native/") && n.split("/").length > 4)
          .forEach(n -> platforms.add(n.split("/")[3]));
    }
    assertThat(platforms).containsExactly(first.arch().packageArch().onnxRuntimePlatform());
  }

  @Test
  void theImageServesPingAndInvocationsFromItsExtractedRoot() throws Exception {
    Path root = extractRoot(first.output(), dir.resolve("root-run"));
    JsonNode config = imageConfig(untar(first.output(), dir.resolve("config-run")));
    int port = freePort();
    List<String> argv = new ArrayList<>();
    config.at("/config/Entrypoint").forEach(n -> argv.add(n.asText()));
    config.at("/config/Cmd").forEach(n -> argv.add(n.asText()));
    ProcessBuilder pb = Isolation.choose().command(root, argv, env(config));
    pb.redirectErrorStream(true);
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    Path log = dir.resolve("server.log");
    pb.redirectOutput(log.toFile());
    Process server = pb.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      HttpResponse<String> ping = waitForPing(base, server, log);
      assertThat(ping.statusCode()).isEqualTo(200);
      ArrayNode rows = Fixtures.JSON.createArrayNode();
      ArrayNode logits = Fixtures.JSON.createArrayNode();
      JsonNode digits = Fixtures.golden("digits-heldout.json");
      for (int i = 0; i < 5; i++) {
        rows.add(digits.at("/inputs/pixels").get(i));
        logits.add(digits.at("/outputs/logits").get(i));
      }
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/invocations"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              Fixtures.bytes(Map.of("instances", rows))))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode predictions =
          Fixtures.json(r.body().getBytes(StandardCharsets.UTF_8)).get("predictions");
      assertThat(Fixtures.maxAbsDiff(predictions, logits)).isLessThanOrEqualTo(1e-5);
      // all interfaces (SNAPSERVE_HOST=0.0.0.0), on SageMaker's port
      assertThat(Files.readString(log))
          .containsPattern("serving digits@1 on http://(0\\.0\\.0\\.0|\\[[0:]+\\]):" + port + " ");
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  private static HttpResponse<String> waitForPing(URI base, Process server, Path log)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError(
            "the image's server exited " + server.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        return client.send(
            HttpRequest.newBuilder(base.resolve("/ping")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("no answer on /ping within 90 s:\n" + Files.readString(log));
  }

  /** Extracts the image's layers, in order, into an empty root directory. */
  private static Path extractRoot(Path tar, Path root) throws Exception {
    Path unpacked = untar(tar, root.resolveSibling(root.getFileName() + "-tar"));
    Files.createDirectories(root);
    JsonNode manifest = Fixtures.readJson(unpacked.resolve("manifest.json")).get(0);
    for (JsonNode layer : manifest.get("Layers")) {
      run("tar", "-xzf", unpacked.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    return root;
  }

  private static JsonNode imageConfig(Path unpacked) {
    JsonNode manifest = Fixtures.readJson(unpacked.resolve("manifest.json")).get(0);
    return Fixtures.readJson(unpacked.resolve(manifest.get("Config").asText()));
  }

  private static Map<String, String> env(JsonNode config) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (JsonNode e : config.at("/config/Env")) {
      String s = e.asText();
      env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    return env;
  }

  static Path untar(Path tar, Path into) throws Exception {
    Files.createDirectories(into);
    run("tar", "-xf", tar.toString(), "-C", into.toString());
    return into;
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
