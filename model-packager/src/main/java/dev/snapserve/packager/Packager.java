package dev.snapserve.packager;

import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.packager.VerifyOptions.Tolerance;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.BundleWriter;
import dev.snapserve.packager.internal.Deployable;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.SafeUnzip;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Packages a model as a deployable: writes the bundle (the model, optimized if asked, and a
 * manifest with SHA-256, signature, provenance and the optimizations applied), then the target's
 * artifact around it. The same request gives byte-identical artifacts.
 */
public final class Packager {
  /** Recorded in every manifest's provenance. */
  public static final String VERSION = "snapserve-model-packager 0.1.0";

  private static final String MODEL_FILE = "model.onnx";

  private Packager() {}

  /** Builds the artifact {@code request} describes into its output directory. */
  public static PackageResult pack(PackageRequest request, Progress progress) {
    Path input = request.model().toAbsolutePath().normalize();
    if (!Files.exists(input)) {
      throw new PackagerException("model " + request.model() + " does not exist");
    }
    Deployable deployable = Deployable.forTarget(request.target());
    deployable.check(request);
    Path outDir = request.outputDir().toAbsolutePath().normalize();
    boolean outDirExisted = Files.exists(outDir);
    boolean done = false;
    Path work = null;
    try {
      work = Files.createTempDirectory("snapserve-package");
      Source source = resolve(input, request.model(), work.resolve("input"));
      PackageRequest r = withNames(request, source);
      Path artifact =
          r.outputDir().resolve(deployable.artifactName(r)).toAbsolutePath().normalize();
      checkOutput(artifact, input, r);

      Path bundle = Files.createDirectories(work.resolve("bundle"));
      // a bundle that was optimized before keeps that history
      List<Manifest.Optimization> applied =
          new ArrayList<>(
              source.bundleManifest() == null
                  ? List.of()
                  : source.bundleManifest().optimizations());
      Path model = bundle.resolve(MODEL_FILE);
      applied.addAll(transform(source.model(), model, r, work, progress));

      Manifest manifest =
          BundleWriter.write(
              bundle,
              MODEL_FILE,
              r.name(),
              r.version(),
              labels(r, source),
              provenance(r, source),
              applied);
      Deployable.Context context =
          new Deployable.Context(r, bundle, manifest, artifact, work.resolve("build"), progress);
      Deployable.Built[] built = new Deployable.Built[1];
      AtomicFiles.Writer writer = tmp -> built[0] = deployable.build(context, tmp);
      if (deployable.isDirectory()) AtomicFiles.writeDirectory(artifact, r.force(), writer);
      else AtomicFiles.write(artifact, r.force(), writer);
      Deployable.Built b = built[0];
      done = true;
      return new PackageResult(
          r.target(),
          r.arch(),
          artifact,
          manifest,
          b.artifactBytes(),
          b.unpackedBytes(),
          b.entryPoint(),
          b.deployCommand(),
          b.limits());
    } catch (IOException e) {
      throw new PackagerException("cannot package " + request.model() + ": " + e.getMessage(), e);
    } finally {
      if (work != null) AtomicFiles.deleteTree(work);
      if (!done && !outDirExisted) deleteIfEmpty(outDir);
    }
  }

  /**
   * Optimizes, then quantizes (quantizing first would leave float weights in Constant nodes that
   * constant folding creates), verifying each step against the input model; a step that misses its
   * tolerance fails the packaging. Writes {@code out}; returns the steps for the manifest.
   */
  private static List<Manifest.Optimization> transform(
      Path input, Path out, PackageRequest r, Path work, Progress progress) throws IOException {
    List<Manifest.Optimization> steps = new ArrayList<>();
    Path current = input;
    if (r.optimize().isPresent()) {
      String level = r.optimize().get().name().toLowerCase(Locale.ROOT);
      Path optimized = work.resolve("optimized.onnx");
      try (Progress.Task task = progress.begin("optimize " + level, -1, "steps")) {
        Optimizer.optimize(current, optimized, r.optimize().get(), false);
      }
      Tolerance tolerance = r.tolerance() != null ? r.tolerance() : Tolerance.DEFAULT;
      steps.add(verified("optimize", level, input, optimized, tolerance, r, progress));
      current = optimized;
    }
    if (r.quantize().isPresent()) {
      String mode = r.quantize().get().name().toLowerCase(Locale.ROOT);
      Path quantized = work.resolve("quantized.onnx");
      Quantizer.quantize(
          QuantizeOptions.of(current, quantized, r.quantize().get()).withProgress(progress));
      Tolerance tolerance =
          r.tolerance() != null ? r.tolerance() : PackageRequest.QUANTIZED_TOLERANCE;
      steps.add(verified("quantize", mode, input, quantized, tolerance, r, progress));
      current = quantized;
    }
    Files.copy(current, out);
    return steps;
  }

  /** Verifies one step's output against the input model; fails when it misses the tolerance. */
  private static Manifest.Optimization verified(
      String step,
      String level,
      Path input,
      Path candidate,
      Tolerance tolerance,
      PackageRequest r,
      Progress progress) {
    VerifyOptions options =
        VerifyOptions.defaults().withData(r.verifyData()).withTolerance(tolerance);
    VerifyReport report = Verifier.verify(input, candidate, options, progress);
    if (!report.passed()) {
      throw new PackagerException(
          step
              + " "
              + level
              + " changed the model's outputs beyond "
              + tolerance
              + " on "
              + report.inputs()
              + ": "
              + String.join("; ", report.failures())
              + (r.verifyData() == null
                  ? " (inputs were synthesized; --verify-data FILE verifies on real ones)"
                  : ""));
    }
    double maxAbs = 0;
    Double top1 = null;
    for (VerifyReport.OutputComparison o : report.outputs()) {
      maxAbs = Math.max(maxAbs, o.maxAbsError());
      if (o.top1Agreement() != null) {
        top1 = top1 == null ? o.top1Agreement() : Math.min(top1, o.top1Agreement());
      }
    }
    // a file name, not the path: the manifest must not depend on where the build ran
    String inputs =
        r.verifyData() == null
            ? report.inputs()
            : report.samples() + " rows of " + r.verifyData().getFileName();
    return new Manifest.Optimization(
        step, level, new Manifest.Verification(maxAbs, top1, tolerance.toString(), inputs, true));
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // not empty (something else was written there meanwhile) or gone: leave it
    }
  }

  /** The model to package; {@code producer} is read from a bare ONNX file (null for a bundle). */
  private record Source(Path model, Manifest bundleManifest, String sha256, String producer) {}

  private static Source resolve(Path input, Path asGiven, Path scratch) throws IOException {
    Path bundleDir = null;
    if (Files.isDirectory(input)) {
      bundleDir = input;
    } else if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      Files.createDirectories(scratch);
      SafeUnzip.extract(input, scratch);
      bundleDir = scratch;
    }
    if (bundleDir == null) {
      // parsing gives a clear error for anything that is not an ONNX model
      String producer = producer(OnnxFiles.read(input));
      return new Source(input, null, ModelBundle.describe(input).sha256(), producer);
    }
    ModelBundle bundle;
    try {
      bundle = ModelBundle.load(bundleDir);
    } catch (SnapserveException e) {
      throw new PackagerException(asGiven + " is not a valid bundle: " + e.getMessage(), e);
    }
    OnnxFiles.read(bundle.modelFile());
    return new Source(
        bundle.modelFile(), bundle.manifest(), bundle.manifest().model().sha256(), null);
  }

  /** Name and version from the request, else from the input bundle; both validated. */
  private static PackageRequest withNames(PackageRequest r, Source s) {
    String name =
        r.name() != null ? r.name() : s.bundleManifest() == null ? null : s.bundleManifest().name();
    String version =
        r.version() != null
            ? r.version()
            : s.bundleManifest() == null ? null : s.bundleManifest().version();
    check("name", name);
    check("version", version);
    return r.withNames(name, version);
  }

  private static void check(String what, String value) {
    if (value == null) {
      throw new PackagerException("the model " + what + " is required for a bare ONNX file");
    }
    if (!value.matches(Manifest.NAME_PATTERN)) {
      throw new PackagerException(
          "model "
              + what
              + " '"
              + value
              + "' must match "
              + Manifest.NAME_PATTERN
              + " (it names files and routes)");
    }
  }

  /** Refuses outputs that are, or contain, the input, and existing outputs without force. */
  private static void checkOutput(Path artifact, Path input, PackageRequest r) {
    Path outDir = r.outputDir().toAbsolutePath().normalize();
    if (outDir.equals(input) || Files.isRegularFile(outDir)) {
      throw new PackagerException(
          "output directory " + r.outputDir() + " is the input or a file; choose a directory");
    }
    AtomicFiles.checkNotInput(artifact, input);
    if (input.startsWith(artifact)) {
      throw new PackagerException(
          "output "
              + artifact
              + " contains the input "
              + r.model()
              + "; choose another -o directory");
    }
    AtomicFiles.checkCanWrite(artifact, r.force());
  }

  private static List<String> labels(PackageRequest r, Source s) {
    if (!r.labels().isEmpty()) return r.labels();
    if (s.bundleManifest() != null && s.bundleManifest().labels() != null) {
      return s.bundleManifest().labels();
    }
    return List.of();
  }

  private static Map<String, String> provenance(PackageRequest r, Source s) {
    Map<String, String> p = new LinkedHashMap<>();
    if (s.bundleManifest() != null) p.putAll(s.bundleManifest().provenance());
    else p.put("producer", s.producer());
    p.put("sourceModel", sourceName(r.model()));
    p.put("sourceSha256", s.sha256());
    p.put("packager", VERSION);
    p.put("createdAt", r.timestamp().toString());
    p.putAll(r.provenance());
    return p;
  }

  /** The input's file or directory name ("." and "/" resolved): provenance, not a path. */
  private static String sourceName(Path model) {
    Path name = model.toAbsolutePath().normalize().getFileName();
    return name == null ? "/" : name.toString();
  }

  private static String producer(ModelProto m) {
    String producer = (m.getProducerName() + " " + m.getProducerVersion()).trim();
    return producer.isEmpty() ? "unknown" : producer;
  }
}
