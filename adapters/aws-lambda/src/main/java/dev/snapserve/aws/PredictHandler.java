package dev.snapserve.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.snapserve.aws.internal.EmfListener;
import dev.snapserve.aws.internal.LambdaHttp;
import dev.snapserve.aws.internal.S3BundleSource;
import dev.snapserve.aws.internal.SnapStartHook;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crac.Core;

/**
 * The Lambda handler for every HTTP front door: API Gateway HTTP API (payload 2.0) and REST API
 * (1.0), Function URLs and ALB. Handler string: {@code dev.snapserve.aws.PredictHandler}.
 *
 * <p>Init loads the bundle (default {@code $LAMBDA_TASK_ROOT/model}; with {@code
 * SNAPSERVE_BUNDLE_URI=s3://...} it is downloaded, verified and cached under /tmp first). Under
 * SnapStart the priming runs in the CRaC {@code beforeCheckpoint} hook; otherwise at init unless
 * {@code SNAPSERVE_PRIME_ON_INIT=false}.
 */
public final class PredictHandler implements RequestStreamHandler {
  /** Registered in static init, as CRaC requires; held strongly (contexts may hold weakly). */
  static final SnapStartHook SNAP_START = new SnapStartHook();

  static {
    Core.getGlobalContext().register(SNAP_START);
  }

  private final InferenceService service;

  /** Used by the Lambda runtime: everything from the environment. */
  public PredictHandler() {
    this(boot(System.getenv()));
  }

  /** Used by tests and the local invoker: a ready service. */
  public PredictHandler(InferenceService service) {
    this.service = service;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaHttp.handle(service, input, output, context.getAwsRequestId());
  }

  /** Builds the service the way the Lambda runtime gets it, from an environment map. */
  static InferenceService boot(Map<String, String> env) {
    SnapserveConfig config = SnapserveConfig.fromEnv(env);
    String bundleUri = env.get(S3BundleSource.URI_VAR);
    // a bundle from S3 is verified (hashed) while fetching: served as loaded, not loaded again
    List<ModelBundle> fetched = null;
    if (bundleUri != null && !bundleUri.isBlank()) {
      if (!config.bundles().isEmpty()) {
        throw new IllegalArgumentException(
            "set " + S3BundleSource.URI_VAR + " or SNAPSERVE_BUNDLES, not both");
      }
      fetched = List.of(S3BundleSource.fetch(env).bundle());
      config = config.withBundles(List.of(fetched.getFirst().directory()));
    } else if (config.bundles().isEmpty()) {
      String root = env.getOrDefault("LAMBDA_TASK_ROOT", ".");
      config = config.withBundles(List.of(Path.of(root, "model")));
    }
    EmfListener metrics =
        new EmfListener(
            env.getOrDefault("SNAPSERVE_METRICS_NAMESPACE", "snapserve"),
            System.out,
            System::currentTimeMillis);
    InferenceService service =
        fetched == null
            ? InferenceService.create(config, metrics)
            : InferenceService.create(config, fetched, metrics);
    SNAP_START.attach(service, config.primeIterations());
    boolean snapStart = "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
    boolean primeOnInit = !"false".equalsIgnoreCase(env.get("SNAPSERVE_PRIME_ON_INIT"));
    if (!snapStart && primeOnInit) prime(service, config.primeIterations());
    return service;
  }

  /**
   * Primes {@code service} the way init and SnapStart do: {@code iterations} rounds of synthetic
   * requests, each through this handler's whole path (event in, response out), so the first real
   * request finds the event decoding warm too. Returns how many requests ran.
   */
  public static int prime(InferenceService service, int iterations) {
    return LambdaHttp.prime(service, iterations);
  }
}
