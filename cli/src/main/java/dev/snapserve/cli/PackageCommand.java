package dev.snapserve.cli;

import dev.snapserve.functions.Manifest;
import dev.snapserve.packager.EndpointImageRequest;
import dev.snapserve.packager.Optimizer;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.PackageResult;
import dev.snapserve.packager.Packager;
import dev.snapserve.packager.QuantizeOptions;
import dev.snapserve.packager.VerifyOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve package}: a model as a Lambda zip, a Cloud Functions directory or an image. */
@Command(
    name = "package",
    description = {
      "Package a model as a deployable: the bundle (manifest with SHA-256, signature, provenance,",
      "optimizations) plus the target's artifact. The same inputs give byte-identical artifacts",
      "(timestamps from SOURCE_DATE_EPOCH, else 2026-01-01T00:00:00Z)."
    })
final class PackageCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = "An ONNX file, a bundle directory, or a zipped bundle.")
  Path model;

  @Option(names = "--name", description = "Model name (default: the bundle's).")
  String name;

  @Option(names = "--version", description = "Model version (default: the bundle's).")
  String version;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "lambda|gcf|endpoint",
      description = {
        "lambda: zip for the java21 runtime; gcf: Cloud Functions source directory;",
        "endpoint: OCI image tarball of the endpoint server (SageMaker contract)."
      })
  String target;

  @Option(
      names = "--optimize",
      paramLabel = "basic|extended",
      description = "ONNX Runtime offline graph optimization before packaging.")
  String optimize;

  @Option(
      names = "--quantize",
      paramLabel = "int8|fp16",
      description = "Quantize after optimizing: int8 (dynamic) or fp16 weights.")
  String quantize;

  @Option(
      names = "--verify-data",
      paramLabel = "FILE",
      description = {
        "Inputs each optimization is verified on (verify's --data format);",
        "default: synthesized from the signature."
      })
  Path verifyData;

  @Option(
      names = "--tolerance",
      paramLabel = "SPEC",
      description = {
        "What each verification must meet (verify's format); default:",
        "abs=1e-4,rel=1e-3,top1=0.99 for --optimize, top1=0.99 for --quantize."
      })
  String tolerance;

  @Option(
      names = "--base-image",
      paramLabel = "REF",
      description = {
        "endpoint: base image (a registry reference, tar://PATH or scratch);",
        "default: " + EndpointImageRequest.DEFAULT_BASE_IMAGE + "."
      })
  String baseImage;

  @Option(
      names = "--arch",
      paramLabel = "x86_64|arm64",
      description = "Native library kept (default: arm64 for lambda, x86_64 otherwise).")
  String arch;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      split = ",",
      description = "Class labels, comma-separated (default: the bundle's).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--provenance",
      paramLabel = "KEY=VALUE",
      description = "Extra provenance for the manifest; repeatable.")
  Map<String, String> provenance = new LinkedHashMap<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Output directory (default: dist).")
  Path output = Path.of("dist");

  @Option(names = "--force", description = "Replace an existing artifact.")
  boolean force;

  @Option(
      names = "--via-s3",
      description = {
        "lambda: the zip is deployed through S3 (CDK, publish): only the 250 MB unzipped",
        "limit applies, not the 50 MB one of a direct upload."
      })
  boolean viaS3;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  PackageCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The --json document. */
  record Json(
      String target,
      String arch,
      String artifact,
      String name,
      String version,
      String entryPoint,
      long artifactBytes,
      long unpackedBytes,
      List<PackageResult.Limit> limits,
      String deployCommand,
      Manifest manifest) {}

  @Override
  public Integer call() {
    PackageRequest.Builder b =
        PackageRequest.builder(model, PackageRequest.Target.parse(target))
            .name(name)
            .version(version)
            .labels(labels)
            .provenance(provenance)
            .outputDir(output)
            .force(force)
            .viaS3(viaS3);
    if (arch != null) b.arch(PackageRequest.Arch.parse(arch));
    if (optimize != null) b.optimize(Optimizer.Level.parse(optimize));
    if (quantize != null) b.quantize(QuantizeOptions.Mode.parse(quantize));
    if (tolerance != null) b.tolerance(VerifyOptions.Tolerance.parse(tolerance));
    b.verifyData(verifyData).baseImage(baseImage);
    PackageResult r = Packager.pack(b.build(), new ProgressBars(err));
    if (json) {
      JsonOutput.print(
          out,
          new Json(
              r.target().id(),
              r.arch().id(),
              r.artifact().toString(),
              r.manifest().name(),
              r.manifest().version(),
              r.entryPoint(),
              r.artifactBytes(),
              r.unpackedBytes(),
              r.limits(),
              r.deployCommand(),
              r.manifest()));
      return 0;
    }
    out.printf("wrote %s (%s, %s)%n", r.artifact(), mb(r.artifactBytes()), r.arch().id());
    for (PackageResult.Limit l : r.limits()) {
      out.printf("  %s: %s of %s limit%n", l.what(), mb(l.bytes()), mb(l.limitBytes()));
    }
    for (Manifest.Optimization o : r.manifest().optimizations()) {
      Manifest.Verification v = o.verify();
      out.printf(
          "  applied: %s %s%s%n",
          o.step(),
          o.level(),
          v == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  " (verified on %s: max abs error %.3g%s, within %s)",
                  v.inputs(),
                  v.maxAbsError(),
                  v.top1Agreement() == null
                      ? ""
                      : String.format(
                          Locale.ROOT, ", top-1 agreement %.2f%%", 100 * v.top1Agreement()),
                  v.tolerance()));
    }
    out.printf(
        "%s: %s%n",
        r.target() == PackageRequest.Target.LAMBDA ? "handler" : "entry point", r.entryPoint());
    out.println(r.target() == PackageRequest.Target.ENDPOINT ? "push:" : "deploy:");
    out.println("  " + r.deployCommand());
    return 0;
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
