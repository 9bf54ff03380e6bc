package dev.snapserve.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.packager.Optimizer;
import dev.snapserve.packager.QuantizeOptions;
import dev.snapserve.packager.QuantizeOptions.Mode;
import dev.snapserve.packager.QuantizeOptions.Weights;
import dev.snapserve.packager.Quantizer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Size, latency and top-1 agreement of each fixture as fp32 / optimized (basic) / int8 with u8
 * weights (the default) / int8 with s8 weights / fp16, in one run, printed as a markdown table.
 * Sessions use the service's defaults (intra-op threads = available processors, inter-op 1,
 * optimization level all). Latency: {@code OrtSession.run} on an input tensor built once, the
 * variants interleaved run by run so machine noise hits them alike; p50 over {@code iterations}
 * runs at batch 1 and a tenth of that at batch 32. Agreement: argmax of each variant vs fp32 over
 * the held-out digits rows (mlp784: its 4 golden rows plus 252 seeded uniform rows, as in
 * QuantizerTest).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.snapserve.benchmarks.QuantizationBenchmark
 * [iterations=2000] [fixtures=demo,mlp784,digitscnn,digitsformer]</pre>
 */
public final class QuantizationBenchmark {
  private static final OrtEnvironment ENV = Ort.environment(); // a benchmark: fail at start
  private static final String[] VARIANTS = {
    "fp32", "optimized (basic)", "int8 (u8 weights)", "int8 (s8 weights)", "fp16"
  };

  private QuantizationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    String[] fixtures =
        (args.length > 1 ? args[1] : "demo,mlp784,digitscnn,digitsformer").split(",");
    Path dir = Files.createTempDirectory("snapserve-quantization-bench");
    System.out.printf(
        Locale.ROOT,
        "%d iterations at batch 1, %d at batch 32; %d processors; java %s%n%n",
        iterations,
        iterations / 10,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.println(
        "| model | variant | size (bytes) | smaller | p50 batch 1 (us) | p50 batch 32 (us) |"
            + " top-1 agreement vs fp32 |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    for (String fixture : fixtures) {
      Path fp32 = BenchData.root().resolve("models").resolve(fixture).resolve("model.onnx");
      Path[] models = {
        fp32,
        Optimizer.optimize(fp32, dir.resolve(fixture + "-basic.onnx"), Optimizer.Level.BASIC, true)
            .output(),
        quantize(fp32, dir.resolve(fixture + "-int8-u8.onnx"), Mode.INT8, Weights.U8),
        quantize(fp32, dir.resolve(fixture + "-int8-s8.onnx"), Mode.INT8, Weights.S8),
        quantize(fp32, dir.resolve(fixture + "-fp16.onnx"), Mode.FP16, Weights.U8)
      };
      float[][] rows = rows(fixture);
      measure(fixture, models, rows, iterations);
    }
  }

  private static Path quantize(Path model, Path out, Mode mode, Weights weights) {
    return Quantizer.quantize(
            QuantizeOptions.of(model, out, mode).withWeights(weights).withForce(true))
        .output();
  }

  private static void measure(String fixture, Path[] models, float[][] rows, int iterations)
      throws OrtException, java.io.IOException {
    int n = models.length;
    OrtSession[] sessions = new OrtSession[n];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      for (int v = 0; v < n; v++) sessions[v] = ENV.createSession(models[v].toString(), options);
      String input = sessions[0].getInputNames().iterator().next();
      long[] b1 = latencyP50(sessions, input, rows, 1, iterations);
      long[] b32 = latencyP50(sessions, input, rows, 32, iterations / 10);
      float[][] reference = logits(sessions[0], input, rows);
      for (int v = 0; v < n; v++) {
        double agreement = agreement(reference, logits(sessions[v], input, rows));
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %,d | %.2fx | %.0f | %.0f | %.4f (%d rows) |%n",
            fixture,
            VARIANTS[v],
            Files.size(models[v]),
            (double) Files.size(models[0]) / Files.size(models[v]),
            b1[v] / 1e3,
            b32[v] / 1e3,
            agreement,
            rows.length);
      }
    } finally {
      for (OrtSession s : sessions) if (s != null) s.close();
    }
  }

  /** p50 nanoseconds of one run per variant, the variants interleaved run by run. */
  private static long[] latencyP50(
      OrtSession[] sessions, String input, float[][] rows, int batch, int iterations)
      throws OrtException {
    int width = rows[0].length;
    float[] data = new float[batch * width];
    for (int r = 0; r < batch; r++)
      System.arraycopy(rows[r % rows.length], 0, data, r * width, width);
    long[][] times = new long[sessions.length][iterations];
    try (OnnxTensor x =
        OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), new long[] {batch, width})) {
      Map<String, OnnxTensor> feed = Map.of(input, x);
      for (int i = -iterations / 5; i < iterations; i++) { // the first fifth warms up
        for (int v = 0; v < sessions.length; v++) {
          long start = System.nanoTime();
          sessions[v].run(feed).close();
          if (i >= 0) times[v][i] = System.nanoTime() - start;
        }
      }
    }
    long[] p50 = new long[sessions.length];
    for (int v = 0; v < sessions.length; v++) {
      Arrays.sort(times[v]);
      p50[v] = times[v][iterations / 2];
    }
    return p50;
  }

  private static float[][] logits(OrtSession session, String input, float[][] rows)
      throws OrtException {
    try (OnnxTensor x = OnnxTensor.createTensor(ENV, rows);
        OrtSession.Result result = session.run(Map.of(input, x))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  private static double agreement(float[][] a, float[][] b) {
    int same = 0;
    for (int r = 0; r < a.length; r++) if (argmax(a[r]) == argmax(b[r])) same++;
    return (double) same / a.length;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  /** Held-out digits rows; for mlp784 its golden rows then seeded uniform rows (256 in all). */
  private static float[][] rows(String fixture) {
    List<float[]> out = new ArrayList<>();
    boolean mlp = fixture.equals("mlp784");
    List<String[]> text = BenchData.rows(mlp ? "mlp784" : "digits", mlp ? 4 : 360);
    for (String[] row : text) out.add(BenchData.floats(List.<String[]>of(row)));
    Random random = new Random(784);
    while (mlp && out.size() < 256) {
      float[] row = new float[784];
      for (int i = 0; i < row.length; i++) row[i] = random.nextFloat();
      out.add(row);
    }
    return out.toArray(new float[0][]);
  }
}
