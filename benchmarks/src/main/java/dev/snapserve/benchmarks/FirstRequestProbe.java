package dev.snapserve.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import dev.snapserve.aws.LocalContext;
import dev.snapserve.aws.PredictHandler;
import dev.snapserve.aws.internal.EmfListener;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * First request after priming vs warm requests, in one fresh JVM: builds the service as the Lambda
 * handler does at init (EMF listener, {@link PredictHandler#prime} with {@code
 * config.primeIterations()}), then times the first {@link PredictHandler#handleRequest} on an event
 * whose body priming never saw, then {@code n} more (held-out rows in turn), and prints one line of
 * microseconds. Run it in several fresh JVMs: only the first request of a JVM is a first request.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.snapserve.benchmarks.FirstRequestProbe
 * [model=digits] [n=1000]</pre>
 */
public final class FirstRequestProbe {
  private FirstRequestProbe() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "digits";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;

    // events first, with no JSON library, so nothing on the request path is warmed by the probe
    List<String[]> rows = BenchData.rows(model, model.equals("digits") ? 360 : 4);
    List<byte[]> events = new ArrayList<>(rows.size());
    for (String[] row : rows) events.add(BenchData.event(BenchData.body(List.<String[]>of(row))));

    // SNAPSERVE_* variables apply, as on Lambda (e.g. SNAPSERVE_PRIME_ITERATIONS)
    SnapserveConfig config =
        SnapserveConfig.fromEnv(System.getenv()).withBundles(List.of(BenchData.bundle(model)));
    InferenceService service =
        InferenceService.create(
            config,
            new EmfListener(
                "snapserve",
                new PrintStream(OutputStream.nullOutputStream()),
                System::currentTimeMillis));
    PredictHandler handler = new PredictHandler(service);
    long primeStart = System.nanoTime();
    int primed = PredictHandler.prime(service, config.primeIterations()); // what init does
    long primeNanos = System.nanoTime() - primeStart;
    Context context = new LocalContext();
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);

    long start = System.nanoTime();
    handler.handleRequest(new ByteArrayInputStream(events.get(0)), out, context);
    long first = System.nanoTime() - start;
    requireOk(out);

    long[] warm = new long[n];
    for (int i = 0; i < n; i++) {
      out.reset();
      byte[] event = events.get((i + 1) % events.size());
      long s = System.nanoTime();
      handler.handleRequest(new ByteArrayInputStream(event), out, context);
      warm[i] = System.nanoTime() - s;
      requireOk(out);
    }
    Arrays.sort(warm);
    double p50 = warm[n / 2] / 1e3;
    double p99 = warm[(int) (n * 0.99)] / 1e3;
    System.out.printf(
        Locale.ROOT,
        "model=%s primed=%d prime_ms=%.1f first_us=%.1f warm_p50_us=%.1f warm_p99_us=%.1f"
            + " first_over_p50=%.2f%n",
        model,
        primed,
        primeNanos / 1e6,
        first / 1e3,
        p50,
        p99,
        first / 1e3 / p50);
    service.close();
  }

  private static void requireOk(ByteArrayOutputStream out) {
    String r = out.toString(StandardCharsets.UTF_8);
    if (!r.contains("\"statusCode\":200")) throw new IllegalStateException("not a 200: " + r);
  }
}
