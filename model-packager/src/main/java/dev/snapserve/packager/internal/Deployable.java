package dev.snapserve.packager.internal;

import dev.snapserve.functions.Manifest;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.PackageResult;
import dev.snapserve.packager.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One deployment target's artifact, built from a written bundle. */
public interface Deployable {

  /**
   * What a target needs to build its artifact.
   *
   * @param request the user's request
   * @param bundleDir the written bundle (manifest.json + model.onnx)
   * @param manifest its manifest
   * @param artifact where the artifact ends up (for commands that name it)
   * @param workDir scratch space, deleted afterwards
   * @param progress for long steps
   */
  record Context(
      PackageRequest request,
      Path bundleDir,
      Manifest manifest,
      Path artifact,
      Path workDir,
      Progress progress) {}

  /** What was built, for {@link PackageResult}. */
  record Built(
      long artifactBytes,
      long unpackedBytes,
      String entryPoint,
      String deployCommand,
      List<PackageResult.Limit> limits) {}

  /** The artifact's file or directory name in the output directory. */
  String artifactName(PackageRequest request);

  /** Refuses requests this target cannot serve, before anything is written. */
  default void check(PackageRequest request) {}

  /** True when the artifact is a directory, false for a single file. */
  boolean isDirectory();

  /** Writes the artifact to {@code tmp}: a new file, or a directory the implementation fills. */
  Built build(Context context, Path tmp) throws IOException;

  /** The deployable for a target. */
  static Deployable forTarget(PackageRequest.Target target) {
    return switch (target) {
      case LAMBDA -> new LambdaZip();
      case GCF -> new GcfDirectory();
      case ENDPOINT -> new EndpointTarball();
    };
  }

  /** The artifact's base name: {@code NAME-VERSION-TARGET[-ARCH]}. */
  static String baseName(PackageRequest r, String suffix) {
    return r.name() + "-" + r.version() + "-" + suffix;
  }

  /** A function name AWS and Google both accept: lower-case letters, digits and hyphens. */
  static String functionName(PackageRequest r) {
    return (r.name() + "-" + r.version())
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-");
  }
}
