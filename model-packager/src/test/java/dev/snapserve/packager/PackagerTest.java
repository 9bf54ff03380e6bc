package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagerTest {
  @TempDir Path tmp;

  private PackageRequest.Builder demo(PackageRequest.Target target, Path out) {
    return PackageRequest.builder(Fixtures.demo().resolve("model.onnx"), target)
        .name("digits")
        .version("1")
        .labels(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
        .outputDir(out)
        .timestamp(Instant.parse("2026-11-22T00:00:00Z"));
  }

  @Test
  void lambdaZipIsByteIdenticalWhenBuiltTwice() throws Exception {
    PackageResult a =
        Packager.pack(demo(PackageRequest.Target.LAMBDA, tmp.resolve("a")).build(), Progress.NONE);
    PackageResult b =
        Packager.pack(demo(PackageRequest.Target.LAMBDA, tmp.resolve("b")).build(), Progress.NONE);
    assertThat(a.artifact().getFileName()).hasToString("digits-1-lambda-arm64.zip");
    assertThat(sha256(a.artifact())).isEqualTo(sha256(b.artifact()));
    assertThat(a.artifactBytes()).isEqualTo(Files.size(a.artifact()));
    try (ZipFile zip = new ZipFile(a.artifact().toFile())) {
      assertThat(zip.stream()).noneMatch(ZipEntry::isDirectory);
      String ort =
          zip.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("lib/onnxruntime-"))
              .findFirst()
              .orElseThrow();
      assertThat(jarEntries(zip, ort))
          .filteredOn(n -> n.startsWith("ai/onnxruntime/native/"))
          .contains("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so")
          .allMatch(n -> n.startsWith("ai/onnxruntime/native/linux-aarch64/"));
    }
  }

  @Test
  void lambdaZipHoldsTheHandlerJarsAndOneNativePlatform() throws Exception {
    PackageResult r =
        Packager.pack(
            demo(PackageRequest.Target.LAMBDA, tmp).arch(PackageRequest.Arch.X86_64).build(),
            Progress.NONE);
    assertThat(r.entryPoint()).isEqualTo("dev.snapserve.aws.PredictHandler");
    assertThat(r.deployCommand())
        .contains("--handler dev.snapserve.aws.PredictHandler", "--architectures x86_64");
    try (ZipFile zip = new ZipFile(r.artifact().toFile())) {
      List<String> names = zip.stream().map(ZipEntry::getName).toList();
      assertThat(names).isSorted();
      assertThat(names)
          .contains("lib/snapserve-aws-lambda.jar", "model/manifest.json", "model/model.onnx")
          .anyMatch(n -> n.startsWith("lib/snapserve-functions-"))
          .allMatch(n -> n.startsWith("lib/") || n.startsWith("model/"));
      assertThat(zip.stream().map(ZipEntry::getLastModifiedTime).distinct()).hasSize(1);
      String ort =
          names.stream().filter(n -> n.startsWith("lib/onnxruntime-")).findFirst().orElseThrow();
      List<String> natives =
          jarEntries(zip, ort).stream()
              .filter(n -> n.startsWith("ai/onnxruntime/native/"))
              .toList();
      assertThat(natives)
          .contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so")
          .allMatch(n -> n.startsWith("ai/onnxruntime/native/linux-x64/"));
      assertThat(jarEntries(zip, ort)).contains("ai/onnxruntime/OrtSession.class");
    }
    long unzipped =
        r.limits().stream()
            .filter(l -> l.what().equals("unzipped"))
            .findFirst()
            .orElseThrow()
            .bytes();
    assertThat(unzipped).isEqualTo(r.unpackedBytes()).isLessThan(r.limits().get(1).limitBytes());
    assertThat(r.artifactBytes()).isLessThan(50L * 1024 * 1024);
  }

  @Test
  void manifestRecordsSignatureProvenanceAndOptimizations() throws Exception {
    PackageResult r =
        Packager.pack(
            demo(PackageRequest.Target.GCF, tmp)
                .optimize(Optimizer.Level.BASIC)
                .provenance("gitCommit", "abc123")
                .build(),
            Progress.NONE);
    Manifest m = ModelBundle.load(r.artifact().resolve("model")).manifest();
    assertThat(m).isEqualTo(r.manifest());
    assertThat(m.signature().inputs().getFirst().name()).isEqualTo("pixels");
    assertThat(m.optimizations())
        .containsExactly(
            new Manifest.Optimization(
                "optimize",
                "basic",
                new Manifest.Verification(
                    0.0, 1.0, "abs=1.0E-4,rel=0.001,top1=0.99", "synthesized (seed 42)", true)));
    assertThat(m.labels()).hasSize(10);
    assertThat(m.provenance())
        .containsEntry(
            "sourceSha256", ModelBundle.describe(Fixtures.demo().resolve("model.onnx")).sha256())
        .containsEntry("packager", Packager.VERSION)
        .containsEntry("createdAt", "2026-11-22T00:00:00Z")
        .containsEntry("gitCommit", "abc123")
        .containsKey("producer");

    // a packaged bundle packaged again keeps its history and adds the new step
    PackageResult again =
        Packager.pack(
            PackageRequest.builder(r.artifact().resolve("model"), PackageRequest.Target.GCF)
                .optimize(Optimizer.Level.EXTENDED)
                .outputDir(tmp.resolve("again"))
                .build(),
            Progress.NONE);
    assertThat(again.manifest().optimizations())
        .extracting(Manifest.Optimization::level)
        .containsExactly("basic", "extended");
    assertThat(again.manifest().labels()).isEqualTo(m.labels());
  }

  @Test
  void gcfDirectoryHasAPrebuiltJarWithItsClassPathAndIsReproducible() throws Exception {
    PackageResult a =
        Packager.pack(demo(PackageRequest.Target.GCF, tmp.resolve("a")).build(), Progress.NONE);
    PackageResult b =
        Packager.pack(demo(PackageRequest.Target.GCF, tmp.resolve("b")).build(), Progress.NONE);
    assertThat(a.artifact().getFileName()).hasToString("digits-1-gcf");
    assertThat(treeHashes(a.artifact())).isEqualTo(treeHashes(b.artifact()));
    assertThat(a.deployCommand())
        .isEqualTo(
            "gcloud functions deploy digits-1 --gen2 --runtime java21 --entry-point"
                + " dev.snapserve.gcp.PredictFunction --source "
                + a.artifact()
                + " --trigger-http --memory 1Gi");
    try (JarFile jar = new JarFile(a.artifact().resolve("snapserve-gcp-functions.jar").toFile())) {
      String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
      for (String entry : classPath.split(" ")) {
        assertThat(a.artifact().resolve(entry)).as(entry).isRegularFile();
      }
      assertThat(jar.getEntry("dev/snapserve/gcp/PredictFunction.class")).isNotNull();
    }
    try (Stream<Path> lib = Files.list(a.artifact().resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("functions-framework-api"));
    }
  }

  @Test
  void aZippedBundleIsAnInput() throws Exception {
    Path zip = tmp.resolve("bundle.zip");
    zipOf(
        zip,
        Map.of(
            "manifest.json",
            Fixtures.demo().resolve("manifest.json"),
            "model.onnx",
            Fixtures.demo().resolve("model.onnx")));
    PackageResult r =
        Packager.pack(
            PackageRequest.builder(zip, PackageRequest.Target.GCF)
                .outputDir(tmp.resolve("out"))
                .build(),
            Progress.NONE);
    assertThat(r.manifest().name()).isEqualTo("digits");
    assertThat(r.manifest().provenance()).containsEntry("script", "models/generate.py");
  }

  // ---- bad input: a clear error and nothing left behind ----

  @Test
  void outputEqualToTheInputIsRefused() throws Exception {
    Path bundle = Fixtures.copyBundle("demo", tmp.resolve("digits-1-gcf"));
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.GCF, tmp).force(true).build().withModel(bundle),
                    Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("is the input");
    assertThat(bundle.resolve("model.onnx")).exists();
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.LAMBDA, Fixtures.demo().resolve("model.onnx"))
                        .build(),
                    Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("output directory");
    assertThat(listing(tmp)).containsExactly("digits-1-gcf");
  }

  @Test
  void existingOutputNeedsForce() throws Exception {
    Path existing = Files.writeString(tmp.resolve("digits-1-lambda-arm64.zip"), "keep me");
    assertThatThrownBy(
            () -> Packager.pack(demo(PackageRequest.Target.LAMBDA, tmp).build(), Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("already exists; pass --force");
    assertThat(Files.readString(existing)).isEqualTo("keep me");
    assertThat(listing(tmp)).containsExactly("digits-1-lambda-arm64.zip");
    Path dir = Files.createDirectories(tmp.resolve("digits-1-gcf"));
    Files.writeString(dir.resolve("old.txt"), "old");
    assertThatThrownBy(
            () -> Packager.pack(demo(PackageRequest.Target.GCF, tmp).build(), Progress.NONE))
        .hasMessageContaining("already exists; pass --force");
    PackageResult forced =
        Packager.pack(demo(PackageRequest.Target.GCF, tmp).force(true).build(), Progress.NONE);
    assertThat(forced.artifact().resolve("old.txt")).doesNotExist();
    assertThat(listing(tmp)).containsExactlyInAnyOrder("digits-1-lambda-arm64.zip", "digits-1-gcf");
  }

  @Test
  void zipSlipEntriesInAZippedBundleAreRefused() throws Exception {
    for (String hostile : List.of("../evil.txt", "/tmp/evil.txt", "model/../../evil.txt")) {
      Path zip = tmp.resolve("hostile.zip");
      try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
        out.putNextEntry(new ZipEntry("manifest.json"));
        out.write(Files.readAllBytes(Fixtures.demo().resolve("manifest.json")));
        out.putNextEntry(new ZipEntry(hostile));
        out.write("pwned".getBytes(StandardCharsets.UTF_8));
      }
      Path out = tmp.resolve("out");
      assertThatThrownBy(
              () ->
                  Packager.pack(
                      demo(PackageRequest.Target.LAMBDA, out).build().withModel(zip),
                      Progress.NONE))
          .isInstanceOf(PackagerException.class)
          .hasMessageContaining("contains the entry '" + hostile + "'")
          .hasMessageContaining("outside the archive");
      assertThat(out).doesNotExist();
      assertThat(tmp.getParent().resolve("evil.txt")).doesNotExist();
      Files.delete(zip);
    }
  }

  @Test
  void notAnOnnxModelAndBadNamesAreClearErrors() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not protobuf");
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.LAMBDA, tmp.resolve("o")).build().withModel(junk),
                    Progress.NONE))
        .hasMessageContaining("is not an ONNX model");
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.LAMBDA, tmp.resolve("o")).name("../x").build(),
                    Progress.NONE))
        .hasMessageContaining("model name '../x' must match");
    assertThatThrownBy(
            () ->
                Packager.pack(
                    PackageRequest.builder(
                            Fixtures.demo().resolve("model.onnx"), PackageRequest.Target.LAMBDA)
                        .outputDir(tmp.resolve("o"))
                        .build(),
                    Progress.NONE))
        .hasMessageContaining("the model name is required for a bare ONNX file");
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.GCF, tmp.resolve("o"))
                        .arch(PackageRequest.Arch.ARM64)
                        .build(),
                    Progress.NONE))
        .hasMessageContaining("Cloud Functions runs on x86_64 only");
    assertThat(listing(tmp)).containsExactly("junk.onnx");
  }

  @Test
  void optimizesThenQuantizesAndRecordsEachVerification() throws IOException {
    Path heldOut = Fixtures.ROOT.resolve("models/testdata/digitscnn-heldout.json");
    PackageResult r =
        Packager.pack(
            PackageRequest.builder(Fixtures.bundle("digitscnn"), PackageRequest.Target.GCF)
                .optimize(Optimizer.Level.BASIC)
                .quantize(QuantizeOptions.Mode.INT8)
                .verifyData(heldOut)
                .outputDir(tmp)
                .build(),
            Progress.NONE);
    List<Manifest.Optimization> steps = r.manifest().optimizations();
    assertThat(steps)
        .extracting(Manifest.Optimization::step)
        .containsExactly("optimize", "quantize");
    Manifest.Verification optimized = steps.get(0).verify();
    assertThat(optimized.maxAbsError()).isLessThan(1e-4);
    assertThat(optimized.tolerance()).isEqualTo(VerifyOptions.Tolerance.DEFAULT.toString());
    Manifest.Verification quantized = steps.get(1).verify();
    assertThat(steps.get(1).level()).isEqualTo("int8");
    assertThat(quantized.passed()).isTrue();
    assertThat(quantized.top1Agreement()).isGreaterThanOrEqualTo(0.99);
    assertThat(quantized.inputs()).isEqualTo("360 rows of digitscnn-heldout.json");
    // the bundle in the artifact holds the quantized model and says so
    Path bundle = r.artifact().resolve("model");
    long original = Files.size(Fixtures.bundle("digitscnn").resolve("model.onnx"));
    assertThat(Files.size(bundle.resolve("model.onnx"))).isLessThan((long) (original / 3.5));
    assertThat(ModelBundle.load(bundle).manifest().optimizations()).isEqualTo(steps);
  }

  @Test
  void aStepThatMissesItsToleranceFailsAndLeavesNothing() throws IOException {
    Path out = tmp.resolve("out");
    assertThatThrownBy(
            () ->
                Packager.pack(
                    demo(PackageRequest.Target.LAMBDA, out)
                        .quantize(QuantizeOptions.Mode.FP16)
                        .tolerance(VerifyOptions.Tolerance.parse("abs=0,rel=0,top1=1"))
                        .build(),
                    Progress.NONE))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("quantize fp16 changed the model's outputs beyond abs=0")
        .hasMessageContaining("--verify-data");
    assertThat(out).doesNotExist();
  }

  @Test
  void timestampComesFromSourceDateEpoch() {
    assertThat(PackageRequest.timestampFrom(Map.of("SOURCE_DATE_EPOCH", "1700000000")))
        .isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    assertThat(PackageRequest.timestampFrom(Map.of())).isEqualTo(PackageRequest.DEFAULT_TIMESTAMP);
    assertThatThrownBy(() -> PackageRequest.timestampFrom(Map.of("SOURCE_DATE_EPOCH", "yesterday")))
        .hasMessageContaining("SOURCE_DATE_EPOCH must be seconds");
  }

  static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static Map<String, String> treeHashes(Path root) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        hashes.put(root.relativize(f).toString(), sha256(f));
      }
    }
    return hashes;
  }

  private static List<String> jarEntries(ZipFile zip, String name) throws IOException {
    try (ZipInputStream in = new ZipInputStream(zip.getInputStream(zip.getEntry(name)))) {
      List<String> names = new java.util.ArrayList<>();
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
      return names;
    }
  }

  private static void zipOf(Path zip, Map<String, Path> files) throws IOException {
    try (OutputStream os = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (var e : files.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        Files.copy(e.getValue(), out);
      }
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
