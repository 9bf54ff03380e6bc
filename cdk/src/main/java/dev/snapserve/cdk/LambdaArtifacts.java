package dev.snapserve.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.cdk.internal.LambdaZipMerger;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.internal.Deployable;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the app gets the Lambda zip of each Lambda target: the seam to the packager. The zip holds
 * the aws-lambda adapter's jars under {@code lib/} and every model version the target's routes need
 * under {@code models/<model>/<version>/} ({@link InferenceFunction#BUNDLE_ROOT}), each manifest
 * naming the spec's model and version (what {@code SNAPSERVE_ROUTES} refers to).
 */
@FunctionalInterface
public interface LambdaArtifacts {
  /**
   * The zip for {@code target} holding {@code versions}.
   *
   * @throws LambdaArtifactException when an input is missing or unusable; the message says how to
   *     build it
   */
  Path zip(DeploymentSpec spec, Target.Lambda target, List<ModelVersion> versions);

  /** The merged zip: {@code <service>-<target>-lambda-<arch>.zip}. */
  static String fileName(DeploymentSpec spec, Target.Lambda target) {
    return spec.service() + "-" + target.name() + "-lambda-" + target.architecture().id() + ".zip";
  }

  /**
   * The packager's zip of one version: {@code <model>-<version>-lambda-<arch>.zip}, what {@code
   * snapserve package BUNDLE --name M --version V --target lambda --arch A} writes.
   */
  static String packagedName(ModelVersion v, Target.Lambda target) {
    // the packager's own naming, so the lookup finds exactly what it writes
    return Deployable.forTarget(PackageRequest.Target.LAMBDA)
        .artifactName(
            PackageRequest.builder(v.bundle(), PackageRequest.Target.LAMBDA)
                .name(v.model())
                .version(v.version())
                .arch(PackageRequest.Arch.parse(target.architecture().id()))
                .timestamp(PackageRequest.DEFAULT_TIMESTAMP) // not in the name; skips the env
                .build());
  }

  /**
   * Builds one model version's Lambda zip into {@code outputDir} and returns its path: the packager
   * ({@code Packager.pack} with target lambda, the spec's name and version, {@code arch}).
   */
  @FunctionalInterface
  interface VersionPackager {
    Path pack(ModelVersion version, Target.Architecture arch, Path outputDir);
  }

  /**
   * Zips built by {@code snapserve package}, one per model version, in {@code dist} (or the spec's
   * {@code {artifact: ...}}), merged into {@code dist/}{@link #fileName}. Missing zips fail with
   * the {@code snapserve package} command for each.
   */
  static LambdaArtifacts packaged(Path dist) {
    return packaged(dist, null, System.err);
  }

  /**
   * Like {@link #packaged(Path)}, but missing zips of bundle directories are built with {@code
   * packager} first, each announced on {@code log}.
   */
  static LambdaArtifacts packaged(Path dist, VersionPackager packager, PrintStream log) {
    return (spec, target, versions) -> {
      Map<ModelVersion, Path> inputs = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (ModelVersion v : versions) {
        Path zip = v.packaged() ? v.bundle() : dist.resolve(packagedName(v, target));
        boolean exists = Files.isRegularFile(zip);
        boolean stale = exists && !v.packaged() && !builtFrom(zip, v.bundle());
        if (exists && !stale) {
          inputs.put(v, zip);
        } else if (!v.packaged() && packager != null) {
          log.println(
              "snapserve-cdk: packaging "
                  + v.ref()
                  + " ("
                  + shown(v.bundle())
                  + ") for Lambda "
                  + target.architecture().id()
                  + " -> "
                  + shown(zip)
                  + (stale ? " (the zip there was built from another model)" : ""));
          inputs.put(v, packager.pack(v, target.architecture(), dist));
        } else if (v.packaged()) {
          missing.add(v.ref() + ": its artifact " + zip + " does not exist");
        } else {
          missing.add(
              (stale ? "(stale: " + shown(zip) + " holds another model) " : "")
                  + "./snapserve package "
                  + shown(v.bundle())
                  + " --name "
                  + v.model()
                  + " --version "
                  + v.version()
                  + " --target lambda --arch "
                  + target.architecture().id()
                  + " -o "
                  + shown(dist)
                  + (stale ? " --force" : ""));
        }
      }
      if (!missing.isEmpty()) {
        throw new LambdaArtifactException(
            "Lambda target '"
                + target.name()
                + "' needs a packaged zip per model version; missing "
                + missing.size()
                + " of "
                + versions.size()
                + ", build them with: "
                + String.join(" && ", missing));
      }
      return LambdaZipMerger.merge(inputs, dist.resolve(fileName(spec, target)));
    };
  }

  /**
   * Whether {@code zip} was packaged from the bundle's current model: the packager records the
   * source model's SHA-256 in the zip's manifest (its own model may be optimized or quantized).
   */
  private static boolean builtFrom(Path zip, Path bundleDir) {
    ObjectMapper json = new ObjectMapper();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      ZipEntry entry = z.getEntry("model/" + ModelBundle.MANIFEST_FILE);
      if (entry == null) return false;
      JsonNode packaged;
      try (InputStream in = z.getInputStream(entry)) {
        packaged = json.readTree(in);
      }
      JsonNode bundle = json.readTree(bundleDir.resolve(ModelBundle.MANIFEST_FILE).toFile());
      return packaged
          .path("provenance")
          .path("sourceSha256")
          .asText("")
          .equals(bundle.path("model").path("sha256").asText());
    } catch (IOException e) {
      return false; // unreadable: build it again
    }
  }

  /** Relative to the working directory when below it: commands to paste. */
  private static String shown(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd)
        ? cwd.relativize(abs).toString()
        : abs.toString();
  }
}
