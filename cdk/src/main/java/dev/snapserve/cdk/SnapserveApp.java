package dev.snapserve.cdk;

import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.SpecException;
import java.nio.file.Path;
import software.amazon.awscdk.App;

/**
 * The CDK app behind {@code cdk.json}: reads {@code snapserve.yaml} (context {@code spec}, default
 * {@code ./snapserve.yaml}) and synthesizes one {@link SnapserveStack}. Lambda zips come from
 * context {@code artifacts} (default {@code dist/} next to the spec).
 *
 * <pre>npx cdk synth -c spec=snapserve.yaml</pre>
 */
public final class SnapserveApp {
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
      build(app, spec, LambdaArtifacts.packaged(dist));
    } catch (SpecException | LambdaArtifactException | IllegalArgumentException e) {
      System.err.println("snapserve-cdk: " + e.getMessage());
      System.exit(2);
    }
    app.synth();
  }

  /** Adds the spec's stack to {@code app}. */
  public static SnapserveStack build(App app, DeploymentSpec spec, LambdaArtifacts artifacts) {
    return new SnapserveStack(app, spec, artifacts);
  }

  private static String context(App app, String key, String fallback) {
    Object v = app.getNode().tryGetContext(key);
    return v == null ? fallback : v.toString();
  }
}
