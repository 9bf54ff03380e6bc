package dev.snapserve.functions;

import dev.snapserve.functions.internal.Engine;
import dev.snapserve.functions.internal.ModelRegistry;
import dev.snapserve.functions.internal.OrtModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The cloud-neutral inference service: loads bundles, serves every route (versioned predict, TF
 * Serving REST, Open Inference Protocol v2) from a {@link ServeRequest}, and maps every error to
 * the one response contract. Adapters translate their transport to and from this; nothing else.
 *
 * <p>Thread-safe: one instance serves all requests of a process.
 */
public final class InferenceService implements AutoCloseable {
  private final SnapserveConfig config;
  private final Engine engine;
  private final List<OrtModel> models;

  private InferenceService(SnapserveConfig config, Engine engine, List<OrtModel> models) {
    this.config = config;
    this.engine = engine;
    this.models = models;
  }

  /** Loads every bundle in {@code config.bundles()}. */
  public static InferenceService create(SnapserveConfig config) {
    return create(config, RequestListener.FAILURES_TO_STDERR);
  }

  public static InferenceService create(SnapserveConfig config, RequestListener listener) {
    if (config.bundles().isEmpty()) {
      throw new SnapserveException(ErrorCode.MODEL_LOAD, "no model bundles configured");
    }
    List<ModelBundle> bundles = new ArrayList<>();
    for (Path dir : config.bundles()) bundles.add(ModelBundle.load(dir));
    return create(config, bundles, listener);
  }

  /** Serves already-loaded bundles (e.g. one derived from a bare .onnx file). */
  public static InferenceService create(
      SnapserveConfig config, List<ModelBundle> bundles, RequestListener listener) {
    List<OrtModel> models = new ArrayList<>();
    try {
      for (ModelBundle b : bundles) models.add(OrtModel.open(b, config));
      return new InferenceService(
          config,
          new Engine(config, new ModelRegistry(models, config.versionLabels()), listener),
          models);
    } catch (RuntimeException e) {
      models.forEach(OrtModel::close);
      throw e;
    }
  }

  /** Answers one request; never throws for anything a caller sends. */
  public ServeResponse handle(ServeRequest request) {
    return engine.handle(request);
  }

  /**
   * Runs {@code config.primeIterations()} synthetic requests per model through the whole request
   * path; returns how many ran. Throws {@link ErrorCode#MODEL_LOAD} if a model cannot serve them.
   */
  public int prime(int iterations) {
    return engine.prime(iterations, (request, service) -> service.apply(request));
  }

  /**
   * Like {@link #prime(int)}, with every synthetic request travelling through an adapter's own path
   * (its event decoding and response encoding), so that is warm for the first real request too.
   * Priming requests are never reported to the {@link RequestListener}.
   */
  public int prime(int iterations, Transport transport) {
    return engine.prime(iterations, transport);
  }

  /** An adapter's request path, for {@link #prime(int, Transport)}. */
  @FunctionalInterface
  public interface Transport {
    /**
     * Carries {@code request} the way the adapter receives requests (e.g. as an event), hands the
     * decoded request to {@code service}, encodes the answer as the adapter would, and returns what
     * {@code service} answered.
     */
    ServeResponse roundTrip(ServeRequest request, Function<ServeRequest, ServeResponse> service);
  }

  /** Re-creates per-environment state (random seeds, request-id prefix), e.g. after a restore. */
  public void reseed() {
    engine.reseed();
  }

  /** Manifests of the models served, in load order. */
  public List<Manifest> models() {
    return models.stream().map(OrtModel::manifest).toList();
  }

  public SnapserveConfig config() {
    return config;
  }

  /**
   * Reads a request body for a transport, never more than {@code maxPayloadBytes} + 1 bytes: a body
   * announced or found to be larger is refused with {@link ErrorCode#PAYLOAD_TOO_LARGE} without
   * being read in full.
   *
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   */
  public byte[] readBody(InputStream in, long declaredLength) throws IOException {
    long limit = config.maxPayloadBytes();
    if (declaredLength > limit) throw Engine.payloadTooLarge(declaredLength + " bytes", limit);
    if (declaredLength == 0) return new byte[0];
    int cap =
        (int) Math.min(declaredLength > 0 ? declaredLength : limit + 1, Integer.MAX_VALUE - 8);
    byte[] body = in.readNBytes(cap);
    if (body.length > limit) throw Engine.payloadTooLarge("more than " + limit + " bytes", limit);
    return body;
  }

  /**
   * The error response of the contract, for an adapter's own transport errors; a null request id
   * gets a generated one, as the service's own errors do.
   */
  public ServeResponse errorResponse(ErrorCode code, String message, String requestId) {
    return Engine.error(
        code, message, requestId != null ? requestId : engine.nextRequestId(), null);
  }

  @Override
  public void close() {
    models.forEach(OrtModel::close);
  }
}
