package dev.snapserve.packager;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.functions.internal.OrtModel;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.VerifyTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a reference and a candidate ONNX model (e.g. the original and its optimized or quantized
 * version) with ONNX Runtime on the same inputs and compares their outputs, sizes and latencies.
 * Both run as written, without ONNX Runtime's load-time graph optimizations, one thread each.
 */
public final class Verifier {
  private static final int WARMUP_RUNS = 5;

  /** Floor of the denominator of relative errors: logits near zero would make them meaningless. */
  private static final double REL_FLOOR = 1e-6;

  private Verifier() {}

  /**
   * Verifies {@code candidate} against {@code reference} (each an .onnx file or a bundle
   * directory); never modifies either.
   */
  public static VerifyReport verify(
      Path referenceModel, Path candidateModel, VerifyOptions options, Progress progress) {
    Path reference = Inspector.modelFile(referenceModel);
    Path candidate = Inspector.modelFile(candidateModel);
    for (Path p : List.of(reference, candidate)) {
      OnnxFiles.requireInputs(OnnxFiles.read(p), p);
    }
    try (OrtSession ref = open(reference);
        OrtSession cand = open(candidate)) {
      Map<String, NodeInfo> inputs = ref.getInputInfo();
      if (!inputs.keySet().equals(cand.getInputInfo().keySet())) {
        throw new PackagerException(
            "the models take different inputs: "
                + reference
                + " has "
                + inputs.keySet()
                + ", "
                + candidate
                + " has "
                + cand.getInputInfo().keySet());
      }
      if (!ref.getOutputNames().equals(cand.getOutputNames())) {
        throw new PackagerException(
            "the models have different outputs: "
                + reference
                + " has "
                + ref.getOutputNames()
                + ", "
                + candidate
                + " has "
                + cand.getOutputNames());
      }
      VerifyTensors feed =
          options.data() != null
              ? VerifyTensors.fromData(options.data(), inputs, options.samples())
              : VerifyTensors.synthesized(
                  inputs,
                  options.samples() != null
                      ? options.samples()
                      : VerifyOptions.DEFAULT_SYNTHESIZED_SAMPLES,
                  options.seed());
      return run(reference, candidate, ref, cand, feed, options.tolerance(), progress);
    } catch (OrtException e) {
      throw new PackagerException("ONNX Runtime failed: " + OrtModel.firstLine(e), e);
    }
  }

  private static VerifyReport run(
      Path reference,
      Path candidate,
      OrtSession ref,
      OrtSession cand,
      VerifyTensors feed,
      VerifyOptions.Tolerance tolerance,
      Progress progress)
      throws OrtException {
    Map<String, Stats> stats = new LinkedHashMap<>();
    for (String name : ref.getOutputNames()) stats.put(name, new Stats(name));
    TreeSet<String> skipped = new TreeSet<>();
    int n = feed.count();
    long[] refNanos = new long[n];
    long[] candNanos = new long[n];
    try (VerifyTensors.Sample warm = feed.sample(0)) {
      for (int k = 0; k < WARMUP_RUNS; k++) {
        ref.run(warm).close();
        cand.run(warm).close();
      }
    }
    try (Progress.Task task = progress.begin("verify", n, "samples")) {
      for (int i = 0; i < n; i++) {
        try (VerifyTensors.Sample in = feed.sample(i)) {
          // alternate which model runs first, so neither always gets the warmer caches
          OrtSession.Result r;
          OrtSession.Result c;
          if (i % 2 == 0) {
            long t0 = System.nanoTime();
            r = ref.run(in);
            long t1 = System.nanoTime();
            c = runOrClose(cand, in, r);
            candNanos[i] = System.nanoTime() - t1;
            refNanos[i] = t1 - t0;
          } else {
            long t0 = System.nanoTime();
            c = cand.run(in);
            long t1 = System.nanoTime();
            r = runOrClose(ref, in, c);
            refNanos[i] = System.nanoTime() - t1;
            candNanos[i] = t1 - t0;
          }
          try (r;
              c) {
            int label = feed.labels() == null ? -1 : feed.labels()[i];
            for (Stats s : stats.values()) {
              if (!s.add(
                  r.get(s.name).orElseThrow(), c.get(s.name).orElseThrow(), label, tolerance)) {
                skipped.add(s.name);
              }
            }
          }
        }
        task.stepTo(i + 1);
      }
    }
    List<VerifyReport.OutputComparison> outputs = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Stats s : stats.values()) {
      if (skipped.contains(s.name)) continue;
      VerifyReport.OutputComparison o = s.result(tolerance);
      outputs.add(o);
      if (!o.passed()) failures.add(s.failure(tolerance));
    }
    long refBytes = AtomicFiles.size(reference);
    long candBytes = AtomicFiles.size(candidate);
    VerifyReport.Latency refLatency = latency(refNanos);
    VerifyReport.Latency candLatency = latency(candNanos);
    return new VerifyReport(
        reference,
        candidate,
        feed.description(),
        n,
        tolerance.toString(),
        outputs,
        List.copyOf(skipped),
        refBytes,
        candBytes,
        (double) candBytes / refBytes,
        refLatency,
        candLatency,
        candLatency.p50Millis() / refLatency.p50Millis(),
        candLatency.p99Millis() / refLatency.p99Millis(),
        failures.isEmpty(),
        failures);
  }

  /** Running comparison of one output over the samples. */
  private static final class Stats {
    final String name;
    long elements;
    double maxAbs;
    double maxRel;
    long outside;
    boolean classifier = true;
    long rows;
    long agree;
    long labelled;
    long refCorrect;
    long candCorrect;

    Stats(String name) {
      this.name = name;
    }

    /** Adds one sample; false when the output is not a numeric tensor (not compared). */
    boolean add(OnnxValue r, OnnxValue c, int label, VerifyOptions.Tolerance tol) {
      if (!(r instanceof OnnxTensor rt) || !(c instanceof OnnxTensor ct)) return false;
      double[] a = VerifyTensors.doubles(rt);
      double[] b = VerifyTensors.doubles(ct);
      if (a == null || b == null) return false;
      long[] shape = rt.getInfo().getShape();
      if (!Arrays.equals(shape, ct.getInfo().getShape())) {
        throw new PackagerException(
            "output '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + " in the reference but "
                + Arrays.toString(ct.getInfo().getShape())
                + " in the candidate");
      }
      for (int k = 0; k < a.length; k++) {
        double d = diff(a[k], b[k]);
        maxAbs = Math.max(maxAbs, d);
        maxRel = Math.max(maxRel, d / Math.max(Math.abs(a[k]), REL_FLOOR));
        if (tol.checksElements() && !(d <= tol.allowed(a[k]))) outside++;
      }
      elements += a.length;
      boolean floating =
          switch (rt.getInfo().type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> true;
            default -> false;
          };
      classifier &= floating && shape.length == 2 && shape[1] > 1;
      if (classifier) {
        int classes = (int) shape[1];
        for (int row = 0; row < shape[0]; row++) {
          int ra = argmax(a, row * classes, classes);
          int ca = argmax(b, row * classes, classes);
          rows++;
          if (ra == ca) agree++;
          // labels are per sample; they apply when a sample is one row
          if (label >= 0 && shape[0] == 1) {
            labelled++;
            if (ra == label) refCorrect++;
            if (ca == label) candCorrect++;
          }
        }
      }
      return true;
    }

    Double top1() {
      return classifier && rows > 0 ? (double) agree / rows : null;
    }

    boolean passed(VerifyOptions.Tolerance tol) {
      Double top1 = top1();
      return outside == 0 && (top1 == null || tol.top1() == null || top1 >= tol.top1());
    }

    VerifyReport.OutputComparison result(VerifyOptions.Tolerance tol) {
      boolean labels = classifier && labelled > 0;
      return new VerifyReport.OutputComparison(
          name,
          elements,
          maxAbs,
          maxRel,
          outside,
          top1(),
          labels ? (double) refCorrect / labelled : null,
          labels ? (double) candCorrect / labelled : null,
          passed(tol));
    }

    String failure(VerifyOptions.Tolerance tol) {
      List<String> why = new ArrayList<>();
      if (outside > 0) {
        why.add(
            outside
                + " of "
                + elements
                + " elements outside abs="
                + tol.abs()
                + ",rel="
                + tol.rel()
                + " (max abs error "
                + maxAbs
                + ")");
      }
      Double top1 = top1();
      if (top1 != null && tol.top1() != null && top1 < tol.top1()) {
        why.add("top-1 agreement " + top1 + " < " + tol.top1());
      }
      return name + ": " + String.join("; ", why);
    }
  }

  /** |a - b|, with NaN equal to NaN and infinite where only one side is NaN. */
  private static double diff(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (a == b) return 0; // equal infinities
    return Math.abs(a - b);
  }

  private static int argmax(double[] v, int from, int n) {
    int best = 0;
    for (int k = 1; k < n; k++) if (v[from + k] > v[from + best]) best = k;
    return best;
  }

  private static VerifyReport.Latency latency(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new VerifyReport.Latency(percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
  }

  /** Nearest-rank percentile of sorted values. */
  private static double percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static OrtSession open(Path model) {
    var env = Ort.environment(); // first: it also loads the native library, on its large stack
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // one thread each: steadier latencies, and the two models never compete for cores
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      // each file runs as written: with load-time optimization on, ONNX Runtime would rewrite the
      // reference into the very graph an optimized candidate holds and hide what the file computes
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      return env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new PackagerException(
          "ONNX Runtime cannot load " + model + ": " + OrtModel.firstLine(e), e);
    }
  }

  /** Runs {@code session}; closes the other model's result (native memory) when that fails. */
  private static OrtSession.Result runOrClose(
      OrtSession session, VerifyTensors.Sample in, OrtSession.Result other) throws OrtException {
    try {
      return session.run(in);
    } catch (OrtException | RuntimeException e) {
      other.close();
      throw e;
    }
  }
}
