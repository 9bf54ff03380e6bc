package dev.snapserve.cdk;

import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the app gets the Lambda zip of each Lambda target: the seam to the packager. A zip holds
 * the aws-lambda adapter's jars under {@code lib/} and every model version the target's routes need
 * under {@code models/<model>/<version>/}, each manifest naming the spec's model and version (what
 * {@code SNAPSERVE_ROUTES} refers to).
 */
@FunctionalInterface
public interface LambdaArtifacts {
  /**
   * The zip for {@code target} holding {@code versions}; builds it when it can.
   *
   * @throws LambdaArtifactException when the zip is missing and cannot be built
   */
  Path zip(DeploymentSpec spec, Target.Lambda target, List<ModelVersion> versions);

  /** {@code <service>-<target>-lambda-<arch>.zip}, e.g. {@code digits-api-fn-lambda-arm64.zip}. */
  static String fileName(DeploymentSpec spec, Target.Lambda target) {
    return spec.service() + "-" + target.name() + "-lambda-" + target.architecture().id() + ".zip";
  }

  /**
   * Prebuilt zips: a single packaged version ({@code {artifact: ...}} in the spec) is used as is;
   * otherwise {@code dir/}{@link #fileName}. Missing zips fail with the command that builds them.
   */
  static LambdaArtifacts prebuilt(Path dir) {
    return (spec, target, versions) -> {
      if (versions.size() == 1 && versions.get(0).packaged()) {
        Path zip = versions.get(0).bundle();
        if (!Files.isRegularFile(zip)) {
          throw new LambdaArtifactException(
              "Lambda artifact of " + versions.get(0).ref() + " is missing: " + zip);
        }
        return zip;
      }
      Path zip = dir.resolve(fileName(spec, target));
      if (Files.isRegularFile(zip)) return zip;
      throw new LambdaArtifactException(
          "Lambda artifact for target '"
              + target.name()
              + "' ("
              + versions.stream().map(v -> v.ref().toString()).collect(Collectors.joining(", "))
              + ") is missing: "
              + zip
              + "; build it with: ./snapserve package --spec "
              + spec.file()
              + " --target "
              + target.name()
              + " --out "
              + dir);
    };
  }
}
