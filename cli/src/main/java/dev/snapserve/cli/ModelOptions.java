package dev.snapserve.cli;

import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which models a command serves: bundle directories, a bare .onnx file, or the demo. */
final class ModelOptions {
  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Model bundle directory (manifest.json + model); repeat for several.")
  List<Path> bundles = new ArrayList<>();

  @Option(
      names = "--model",
      paramLabel = "FILE.onnx",
      description = "A bare ONNX file; its manifest is derived on the fly (nothing is written).")
  Path model;

  @Option(
      names = "--name",
      description = "Model name for --model (default: the file name without .onnx).")
  String name;

  @Option(
      names = "--version",
      description = "Model version for --model (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  String version;

  /** The bundles to serve; with neither option, the demo bundle shipped in the repository. */
  List<ModelBundle> load(SnapserveConfig config) {
    if (model != null && !bundles.isEmpty()) {
      throw new IllegalArgumentException("give --bundle or --model, not both");
    }
    if (model != null) {
      String n = name != null ? name : model.getFileName().toString().replaceFirst("\\.onnx$", "");
      return List.of(ModelBundle.fromOnnxFile(model, n, version, config));
    }
    List<Path> dirs = bundles.isEmpty() ? List.of(demoBundle()) : bundles;
    return dirs.stream().map(ModelBundle::load).toList();
  }

  static Path demoBundle() {
    Path home = Path.of(System.getProperty("snapserve.home", "."));
    Path demo = home.resolve("models/demo");
    if (!Files.isDirectory(demo)) {
      throw new IllegalArgumentException(
          "no --bundle or --model given and the demo bundle is not at " + demo.toAbsolutePath());
    }
    return demo;
  }
}
