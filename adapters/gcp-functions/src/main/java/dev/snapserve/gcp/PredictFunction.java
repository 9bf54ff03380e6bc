package dev.snapserve.gcp;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.gcp.internal.FunctionsHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Google Cloud Functions (Functions Framework) entry point: every snapserve route ({@code
 * /v1/predict}, TF Serving {@code /v1/models/...}, Open Inference Protocol {@code /v2/...}) behind
 * one HTTP function. Entry point: {@code dev.snapserve.gcp.PredictFunction}.
 *
 * <p>The no-arg constructor (used by the framework) reads {@code SNAPSERVE_*} variables once. If
 * {@code SNAPSERVE_BUNDLES} is not set it serves the bundle in the directory {@code model} relative
 * to the function's working directory, then primes every model with {@code
 * SNAPSERVE_PRIME_ITERATIONS} synthetic requests, so the first real request is not the slow one.
 *
 * <p>The request id of a response is the trace id of the {@code X-Cloud-Trace-Context} header when
 * present, so errors can be found in Cloud Trace and Logging; otherwise snapserve makes one.
 */
public final class PredictFunction implements HttpFunction {
  /** Bundle directory, relative to the working directory, when SNAPSERVE_BUNDLES is not set. */
  public static final String DEFAULT_BUNDLE_DIR = "model";

  private final InferenceService service;

  /** Used by the Functions Framework: everything from the environment. */
  public PredictFunction() {
    this(boot(config(System.getenv())));
  }

  /** Used by tests: a ready service (its config sets the request body limit). */
  public PredictFunction(InferenceService service) {
    this.service = service;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    FunctionsHttp.write(FunctionsHttp.handle(service, request), response);
  }

  /** The configuration from an environment map, with the default bundle directory applied. */
  static SnapserveConfig config(Map<String, String> env) {
    SnapserveConfig config = SnapserveConfig.fromEnv(env);
    if (config.bundles().isEmpty()) {
      config = config.withBundles(List.of(Path.of(DEFAULT_BUNDLE_DIR).toAbsolutePath()));
    }
    return config;
  }

  /** Loads the bundles and primes them; a model that cannot serve fails the cold start. */
  static InferenceService boot(SnapserveConfig config) {
    InferenceService service = InferenceService.create(config);
    try {
      service.prime(config.primeIterations());
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }
}
