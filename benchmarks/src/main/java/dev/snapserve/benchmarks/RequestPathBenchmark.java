package dev.snapserve.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.aws.LocalContext;
import dev.snapserve.aws.PredictHandler;
import dev.snapserve.aws.internal.EmfListener;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.internal.Ort;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request, four ways, in one run so the ratios compare like with like:
 *
 * <ul>
 *   <li>{@code rawOrt}: {@link OrtSession#run} on an input tensor built once: the model's cost.
 *   <li>{@code jsonFloor}: what any JSON API must add: stream the body's numbers into a float[],
 *       copy them into a reused direct buffer, wrap it as a tensor, run, write the outputs as JSON.
 *   <li>{@code inferenceService}: the transport-neutral service on a prebuilt request (body bytes):
 *       {@code lambdaHandler} minus the Lambda event and response handling.
 *   <li>{@code lambdaHandler}: the real Lambda path: API Gateway HTTP API v2 event bytes through
 *       {@link PredictHandler#handleRequest} to response bytes, with the real EMF metrics listener
 *       formatting its log line into a null stream (formatting cost in, I/O out).
 * </ul>
 *
 * <p>rawOrt and jsonFloor use the service's session options ({@link SnapserveConfig#defaults()}, or
 * what {@code SNAPSERVE_*} variables set), so only the JSON and handler work differs. Setup checks
 * that all four predict the same floats.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestPathBenchmark {
  @Param({"digits", "mlp784"})
  public String model;

  @Param({"1", "32"})
  public int batch;

  /** Same read/write features as the service's factory: the floor gets the same fast paths. */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  private OrtEnvironment env;
  private OrtSession session;
  private String inputName;
  private int columns;
  private Map<String, OnnxTensor> rawInputs;

  private byte[] body;
  private float[] parsed;
  private FloatBuffer direct;

  private InferenceService service;
  private ServeRequest request;
  private PredictHandler handler;
  private byte[] event;
  private ByteArrayOutputStream response;
  private Context context;

  @Setup
  public void setup() throws Exception {
    // the defaults, unless SNAPSERVE_* variables say otherwise (e.g. SNAPSERVE_INTRA_OP_THREADS)
    SnapserveConfig config =
        SnapserveConfig.fromEnv(System.getenv()).withBundles(List.of(BenchData.bundle(model)));
    List<String[]> rows = BenchData.rows(model, batch);
    float[] input = BenchData.floats(rows);
    columns = rows.get(0).length;

    env = Ort.environment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // what OrtModel does with the same config
      options.setIntraOpNumThreads(config.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session =
          env.createSession(config.bundles().get(0).resolve("model.onnx").toString(), options);
    }
    inputName = session.getInputNames().iterator().next();

    FloatBuffer raw = directFloats(input.length);
    raw.put(input).flip();
    rawInputs = Map.of(inputName, OnnxTensor.createTensor(env, raw, new long[] {batch, columns}));

    body = BenchData.body(rows).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    parsed = new float[input.length];
    direct = directFloats(input.length);

    service =
        InferenceService.create(
            config,
            new EmfListener(
                "snapserve",
                new PrintStream(OutputStream.nullOutputStream()),
                System::currentTimeMillis));
    handler = new PredictHandler(service);
    request =
        ServeRequest.of(
            "POST", "/v1/predict", Map.of("content-type", "application/json"), body, "bench");
    event = BenchData.event(BenchData.body(rows));
    response = new ByteArrayOutputStream(64 * 1024);
    context = new LocalContext(Long.MAX_VALUE / 2, 1024);

    sanityCheck();
  }

  @TearDown
  public void tearDown() throws OrtException {
    service.close();
    for (OnnxTensor t : rawInputs.values()) t.close();
    session.close();
  }

  @Benchmark
  public OnnxValue rawOrt() throws OrtException {
    try (OrtSession.Result r = session.run(rawInputs)) {
      return r.get(0);
    }
  }

  @Benchmark
  public byte[] jsonFloor() throws IOException, OrtException {
    int n = 0;
    try (JsonParser p = JSON.createParser(body)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          parsed[n++] = p.getFloatValue();
        }
      }
    }
    direct.clear();
    direct.put(parsed, 0, n).flip();
    try (OnnxTensor x = OnnxTensor.createTensor(env, direct, new long[] {n / columns, columns});
        OrtSession.Result r = session.run(Map.of(inputName, x))) {
      OnnxTensor y = (OnnxTensor) r.get(0);
      long[] shape = y.getInfo().getShape();
      FloatBuffer out = y.getFloatBuffer();
      ByteArrayBuilder bytes = new ByteArrayBuilder(JSON._getBufferRecycler(), 512);
      try (JsonGenerator g = JSON.createGenerator(bytes)) {
        g.writeStartObject();
        g.writeFieldName("predictions");
        g.writeStartArray();
        for (int row = 0, i = 0; row < shape[0]; row++) {
          g.writeStartArray();
          for (int c = 0; c < shape[1]; c++) g.writeNumber(out.get(i++));
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      return bytes.toByteArray();
    }
  }

  @Benchmark
  public ServeResponse inferenceService() {
    return service.handle(request);
  }

  @Benchmark
  public ByteArrayOutputStream lambdaHandler() throws IOException {
    response.reset();
    handler.handleRequest(new ByteArrayInputStream(event), response, context);
    return response;
  }

  // ---- sanity --------------------------------------------------------------------------------

  /** All must predict exactly the same floats, or the comparison means nothing. */
  private void sanityCheck() throws Exception {
    float[] expected;
    try (OrtSession.Result r = session.run(rawInputs)) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      expected = new float[b.remaining()];
      b.get(expected);
    }
    ObjectMapper mapper = new ObjectMapper();
    check("jsonFloor", expected, mapper.readTree(jsonFloor()).get("predictions"));
    check(
        "inferenceService",
        expected,
        mapper.readTree(inferenceService().body()).get("predictions"));

    JsonNode lambda = mapper.readTree(lambdaHandler().toByteArray());
    if (lambda.get("statusCode").asInt() != 200) {
      throw new IllegalStateException("lambdaHandler answered " + lambda);
    }
    check(
        "lambdaHandler", expected, mapper.readTree(lambda.get("body").asText()).get("predictions"));
  }

  private void check(String what, float[] expected, JsonNode predictions) {
    List<Float> actual = new ArrayList<>();
    predictions.forEach(row -> row.forEach(v -> actual.add(v.floatValue())));
    float[] got = new float[actual.size()];
    for (int i = 0; i < got.length; i++) got[i] = actual.get(i);
    if (!Arrays.equals(expected, got)) {
      throw new IllegalStateException(
          what
              + " predicts "
              + Arrays.toString(got)
              + " but raw ONNX Runtime gives "
              + Arrays.toString(expected)
              + " ("
              + model
              + ", batch "
              + batch
              + ")");
    }
  }

  private static FloatBuffer directFloats(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
