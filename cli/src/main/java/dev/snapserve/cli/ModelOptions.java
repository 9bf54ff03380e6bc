package dev.snapserve.cli;

import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.server.Serve;
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

  @Option(names = "--version", description = "Model version for --model (default: 1).")
  String version;

  /** Whether --bundle or --model was given. */
  boolean given() {
    return !bundles.isEmpty() || model != null;
  }

  /** Bundle directories and .onnx files; with neither option, the demo bundle. */
  List<Path> paths() {
    List<Path> paths = new ArrayList<>(bundles);
    if (model != null) paths.add(model);
    if (paths.isEmpty()) paths.add(demoBundle());
    return paths;
  }

  List<ModelBundle> load(SnapserveConfig config) {
    return Serve.bundles(paths(), name, version, config);
  }

  static Path demoBundle() {
    Path demo = Path.of(System.getProperty("snapserve.home", ".")).resolve("models/demo");
    if (!Files.isDirectory(demo)) {
      throw new IllegalArgumentException(
          "no --bundle or --model given and the demo bundle is not at " + demo.toAbsolutePath());
    }
    return demo;
  }
}
