package dev.snapserve.cdk;

import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.Packager;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.Progress;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.SpecException;
import dev.snapserve.spec.Target;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/**
 * The CDK app behind {@code cdk.json}: reads {@code snapserve.yaml} (context {@code spec}, default
 * {@code ./snapserve.yaml}) and synthesizes one {@link SnapserveStack}. Lambda zips come from
 * context {@code artifacts} (default {@code dist/} next to the spec), and missing ones are built
 * there with the packager (announced on stderr); {@code -c nag=true} runs cdk-nag's AwsSolutions
 * pack during synth.
 *
 * <pre>npx cdk synth -c spec=snapserve.yaml</pre>
 */
public final class SnapserveApp {
  /** How jsii reports a failed construct validation. */
  private static final String VALIDATION_FAILED = "ValidationFailedWithErrors:";

  private SnapserveApp() {}

  public static void main(String[] args) {
    App app = new App();
    try {
      DeploymentSpec spec = DeploymentSpec.load(Path.of(context(app, "spec", "snapserve.yaml")));
      Path dist =
          Path.of(
              context(
                  app,
                  "artifacts",
                  spec.file().toAbsolutePath().getParent().resolve("dist").toString()));
      build(app, spec, LambdaArtifacts.packaged(dist, SnapserveApp::packageForLambda, System.err));
      // -c nag=true: the AwsSolutions rules run during synth; an unsuppressed error fails it
      if ("true".equals(context(app, "nag", "false"))) {
        Aspects.of(app).add(new AwsSolutionsChecks());
      }
    } catch (SpecException
        | LambdaArtifactException
        | PackagerException
        | IllegalArgumentException e) { // includes EstimateException
      System.err.println("snapserve-cdk: " + e.getMessage());
      System.exit(2);
    }
    try {
      app.synth();
    } catch (RuntimeException e) {
      // a failed validation (the budget) is the user's to fix: its message, no trace
      String errors = validationErrors(e);
      if (errors == null) throw e;
      System.err.println("snapserve-cdk: " + errors);
      System.exit(2);
    }
  }

  /**
   * The errors of a failed construct validation, or null when {@code e} is another failure. jsii
   * appends the JavaScript stack to the message, and that stack starts with the message again: the
   * errors would show twice, then the Node frames of the jsii kernel.
   */
  static String validationErrors(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    if (!m.startsWith(VALIDATION_FAILED)) return null;
    int eol = m.indexOf('\n');
    // the stack's first line: "<error name>: " + the message
    int stack = eol < 0 ? -1 : m.indexOf(": " + m.substring(0, eol), eol);
    if (stack >= 0) {
      m = m.substring(0, m.lastIndexOf('\n', stack));
    } else { // a stack of another shape: cut at its first frame
      java.util.regex.Matcher frame = java.util.regex.Pattern.compile("(?m)^\\s+at ").matcher(m);
      if (frame.find()) m = m.substring(0, frame.start());
    }
    return m.substring(VALIDATION_FAILED.length()).strip();
  }

  /**
   * Adds the spec's stack to {@code app}, writes {@code cost-estimate.md} into its cloud assembly
   * and fails synth when the estimate exceeds the spec's budget.
   */
  public static SnapserveStack build(App app, DeploymentSpec spec, LambdaArtifacts artifacts) {
    SnapserveStack stack = new SnapserveStack(app, spec, artifacts);
    CostEstimateAtSynth.attach(app, stack, spec);
    return stack;
  }

  /** Builds a missing Lambda zip with the packager, as {@code snapserve package} would. */
  static Path packageForLambda(ModelVersion v, Target.Architecture arch, Path dist) {
    PackageRequest request =
        PackageRequest.builder(v.bundle(), PackageRequest.Target.LAMBDA)
            .name(v.model())
            .version(v.version())
            .arch(PackageRequest.Arch.parse(arch.id()))
            .outputDir(dist)
            .force(true) // only called for a zip that is missing or stale
            .viaS3(true) // a CDK asset: uploaded to S3, so 250 MB unzipped is the limit
            .build();
    return Packager.pack(request, Progress.NONE).artifact();
  }

  private static String context(App app, String key, String fallback) {
    Object v = app.getNode().tryGetContext(key);
    return v == null ? fallback : v.toString();
  }
}
