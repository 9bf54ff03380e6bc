package dev.snapserve.functions.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.RequestOutcome;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Every route of the service, transport-neutral: path dispatch, predict (decode, validate, run,
 * encode), status and metadata, and the one mapping from errors to responses.
 */
public final class Engine {
  private static final String JSON_TYPE = "application/json";

  private final SnapserveConfig config;
  private final ModelRegistry registry;
  private final Router router;
  private final BufferPool pool = new BufferPool();
  private final RequestListener listener;
  private volatile RandomGenerator random;
  private volatile RequestIds ids;

  public Engine(SnapserveConfig config, ModelRegistry registry, RequestListener listener) {
    this.config = config;
    this.registry = registry;
    this.router = new Router(registry, config.routes());
    this.listener = listener;
    reseed();
  }

  /** New random state and id prefix: after a SnapStart restore, each environment gets its own. */
  public void reseed() {
    random = RandomGenerator.of("L64X128MixRandom");
    ids = new RequestIds();
  }

  public String nextRequestId() {
    return ids.next();
  }

  /** Warm-up: see {@link Primer}. */
  public int prime(int iterations, InferenceService.Transport transport) {
    return Primer.prime(this, iterations, transport);
  }

  ModelRegistry registry() {
    return registry;
  }

  Router router() {
    return router;
  }

  public ServeResponse handle(ServeRequest request) {
    return handle(request, listener);
  }

  ServeResponse handle(ServeRequest request, RequestListener observer) {
    long start = System.nanoTime();
    String requestId = request.requestId() != null ? request.requestId() : nextRequestId();
    Exchange x = new Exchange(request, requestId);
    ServeResponse response;
    Throwable failure = null;
    try {
      response = dispatch(x);
    } catch (SnapserveException e) {
      x.error = e.code();
      response = error(e.code(), e.getMessage(), requestId, x.allow);
    } catch (RuntimeException | LinkageError e) {
      failure = e;
      x.error = ErrorCode.INTERNAL;
      response = error(ErrorCode.INTERNAL, "internal error; see the service log", requestId, null);
    }
    observer.onRequest(
        new RequestOutcome(
            requestId,
            x.route,
            x.model == null ? null : x.model.name(),
            x.model == null ? null : x.model.version(),
            response.status(),
            x.error,
            x.batch,
            System.nanoTime() - start,
            failure));
    return response;
  }

  /** The error body of the contract: {"error", "code", "requestId"}; never a stack trace. */
  public static ServeResponse error(
      ErrorCode code, String message, String requestId, String allow) {
    byte[] body =
        Json.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("error", message);
              g.writeStringField("code", code.name());
              g.writeStringField("requestId", requestId);
              g.writeEndObject();
            });
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", JSON_TYPE);
    if (requestId != null) headers.put("X-Request-Id", requestId);
    if (allow != null) headers.put("Allow", allow);
    return new ServeResponse(code.httpStatus(), headers, body);
  }

  /** Per-request state shared by dispatch and the outcome report. */
  private static final class Exchange {
    final ServeRequest request;
    final String requestId;
    String route;
    OrtModel model;
    ErrorCode error;
    long batch;
    String allow;

    Exchange(ServeRequest request, String requestId) {
      this.request = request;
      this.requestId = requestId;
    }
  }

  // ---- dispatch ----------------------------------------------------------------------------

  private ServeResponse dispatch(Exchange x) {
    String path = x.request.path();
    if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
    if (isVersionedPredict(path)) {
      x.route = "/{api}/predict";
      requirePost(x);
      String api = path.substring(1, path.indexOf('/', 1));
      x.model = router.route(api, header(x, config.canaryKeyHeader()), random);
      return predict(x, null);
    }
    if (path.startsWith("/v1/models/")) return tfServing(x, path.substring("/v1/models/".length()));
    if (path.equals("/v2") || path.startsWith("/v2/")) return oip(x, path);
    throw SnapserveException.notFound(
        "no route "
            + x.request.method()
            + " "
            + path
            + "; try POST "
            + router.routes().keySet().stream().map(v -> "/" + v + "/predict").toList()
            + ", /v1/models/{name}:predict or /v2/models/{name}/infer");
  }

  private ServeResponse tfServing(Exchange x, String rest) {
    if (rest.endsWith(":predict")) {
      x.route = "/v1/models/{name}:predict";
      requirePost(x);
      x.model = tfModel(rest.substring(0, rest.length() - ":predict".length()));
      return predict(x, Protocol.TF_ROW);
    }
    requireGet(x);
    if (rest.endsWith("/metadata")) {
      x.route = "/v1/models/{name}/metadata";
      x.model = tfModel(rest.substring(0, rest.length() - "/metadata".length()));
      return ok(x, Metadata.tfServing(x.model));
    }
    x.route = "/v1/models/{name}";
    String[] parts = rest.split("/");
    List<OrtModel> shown = parts.length == 1 ? registry.versions(parts[0]) : List.of(tfModel(rest));
    return ok(x, Metadata.tfStatus(shown));
  }

  /** {@code name}, {@code name/versions/v} or {@code name/labels/l}. */
  private OrtModel tfModel(String spec) {
    String[] parts = spec.split("/");
    if (parts.length == 1 && !parts[0].isEmpty()) return registry.get(parts[0], null);
    if (parts.length == 3 && parts[1].equals("versions")) return registry.get(parts[0], parts[2]);
    if (parts.length == 3 && parts[1].equals("labels")) return registry.byLabel(parts[0], parts[2]);
    throw SnapserveException.notFound(
        "no route /v1/models/"
            + spec
            + "; expected /v1/models/{name}[/versions/{v}|/labels/{label}][:predict|/metadata]");
  }

  private ServeResponse oip(Exchange x, String path) {
    switch (path) {
      case "/v2" -> {
        x.route = "/v2";
        requireGet(x);
        return ok(x, Metadata.oipServer());
      }
      case "/v2/health/live", "/v2/health/ready" -> {
        x.route = path;
        requireGet(x);
        return ok(x, Metadata.health(path.endsWith("live") ? "live" : "ready"));
      }
      case "/v2/repository/index" -> {
        x.route = path;
        requirePost(x);
        return ok(x, Metadata.repositoryIndex(registry.all()));
      }
      default -> {}
    }
    if (!path.startsWith("/v2/models/")) {
      throw SnapserveException.notFound("no route " + x.request.method() + " " + path);
    }
    String[] parts = path.substring("/v2/models/".length()).split("/");
    String name = parts[0];
    int i = 1;
    String version = null;
    if (parts.length > 2 && parts[1].equals("versions")) {
      version = parts[2];
      i = 3;
    }
    String action = i < parts.length ? parts[i] : "";
    if (i + (action.isEmpty() ? 0 : 1) != parts.length || name.isEmpty()) {
      throw SnapserveException.notFound(
          "no route " + path + "; expected /v2/models/{name}[/versions/{v}][/infer|/ready]");
    }
    x.model = registry.get(name, version);
    switch (action) {
      case "infer" -> {
        x.route = "/v2/models/{name}/infer";
        requirePost(x);
        return predict(x, Protocol.OIP);
      }
      case "ready" -> {
        x.route = "/v2/models/{name}/ready";
        requireGet(x);
        return ok(x, Metadata.modelReady(x.model));
      }
      case "" -> {
        x.route = "/v2/models/{name}";
        requireGet(x);
        return ok(x, Metadata.oipModel(x.model, version == null ? registry.versions(name) : null));
      }
      default ->
          throw SnapserveException.notFound(
              "no route " + path + "; expected /v2/models/{name}[/versions/{v}][/infer|/ready]");
    }
  }

  // ---- predict -----------------------------------------------------------------------------

  private ServeResponse predict(Exchange x, Protocol fixed) {
    byte[] body = x.request.body();
    checkBody(x.request, body);
    OrtModel model = x.model;
    // TF Serving paths decode row or columnar by field; /vN/predict accepts either protocol
    Protocol protocol = fixed != null ? fixed : PredictDecoder.sniff(Json.FACTORY, body);
    List<TensorSpec> inputs = model.signature().inputs();
    TensorBuffer[] buffers = pool.borrow(inputs.size());
    try {
      PredictCall call =
          new PredictDecoder(Json.FACTORY, model, config.allowNonFinite(), config.maxBatchSize())
              .decode(body, protocol, buffers);
      x.batch = call.batchSize();
      return ok(x, run(model, call, inputs));
    } finally {
      pool.release(buffers);
    }
  }

  private static byte[] run(OrtModel model, PredictCall call, List<TensorSpec> inputs) {
    Map<String, OnnxTensor> tensors = new HashMap<>(inputs.size() * 2);
    try {
      for (int i = 0; i < inputs.size(); i++) {
        tensors.put(
            inputs.get(i).name(), call.buffers[i].toTensor(Ort.environment(), call.shapes[i]));
      }
      try (OrtSession.Result result =
          model.run(tensors, new LinkedHashSet<>(call.requestedOutputs))) {
        List<OutputTensor> outputs = new ArrayList<>(result.size());
        for (Map.Entry<String, OnnxValue> e : result) {
          outputs.add(OutputTensor.of(e.getKey(), e.getValue()));
        }
        return PredictEncoder.encode(call, outputs, model);
      }
    } catch (OrtException e) {
      // inputs passed validation, so what remains is value-dependent (e.g. an index out of range)
      throw SnapserveException.invalid(
          "the model could not run on this input: " + OrtModel.firstLine(e));
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private void checkBody(ServeRequest request, byte[] body) {
    if (body.length > config.maxPayloadBytes()) {
      throw payloadTooLarge(body.length + " bytes", config.maxPayloadBytes());
    }
    String type = request.header("content-type");
    if (type != null && !isJson(type)) {
      throw new SnapserveException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "content type '" + type + "' is not supported; send application/json");
    }
    if (body.length == 0) throw SnapserveException.invalid("request body is empty; send JSON");
  }

  public static SnapserveException payloadTooLarge(String size, long limit) {
    return new SnapserveException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "request body is "
            + size
            + "; the limit is "
            + limit
            + " bytes (SNAPSERVE_MAX_PAYLOAD_BYTES)");
  }

  /** JSON, or curl's default for -d (application/x-www-form-urlencoded), which carries JSON too. */
  static boolean isJson(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    int semi = t.indexOf(';');
    if (semi >= 0) t = t.substring(0, semi);
    t = t.trim();
    return t.equals("application/json")
        || (t.startsWith("application/") && t.endsWith("+json"))
        || t.equals("text/json")
        || t.equals("application/x-www-form-urlencoded");
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** {@code /v<digits>/predict}, checked by hand: it runs on every request. */
  static boolean isVersionedPredict(String path) {
    int slash = path.indexOf('/', 2);
    if (!path.startsWith("/v") || slash < 3 || !path.startsWith("/predict", slash)) return false;
    if (slash + "/predict".length() != path.length()) return false;
    for (int i = 2; i < slash; i++) if (path.charAt(i) < '0' || path.charAt(i) > '9') return false;
    return true;
  }

  private static String header(Exchange x, String name) {
    return x.request.header(name.toLowerCase(Locale.ROOT));
  }

  private static void requirePost(Exchange x) {
    requireMethod(x, "POST");
  }

  private static void requireGet(Exchange x) {
    requireMethod(x, "GET");
  }

  private static void requireMethod(Exchange x, String method) {
    String actual = x.request.method();
    if (actual.equals(method) || (method.equals("GET") && actual.equals("HEAD"))) return;
    x.allow = method;
    throw new SnapserveException(
        ErrorCode.METHOD_NOT_ALLOWED,
        actual + " is not allowed on " + x.request.path() + "; use " + method);
  }

  private static Map<String, String> baseHeaders(Exchange x) {
    Map<String, String> headers = new HashMap<>(8);
    headers.put("Content-Type", JSON_TYPE);
    headers.put("X-Request-Id", x.requestId);
    return headers;
  }

  private static ServeResponse ok(Exchange x, byte[] body) {
    Map<String, String> headers = baseHeaders(x);
    if (x.model != null) {
      headers.put("X-Model-Name", x.model.name());
      headers.put("X-Model-Version", x.model.version());
    }
    return new ServeResponse(200, headers, body);
  }
}
