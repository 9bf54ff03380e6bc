package dev.snapserve.cli;

import dev.snapserve.packager.Verifier;
import dev.snapserve.packager.VerifyOptions;
import dev.snapserve.packager.VerifyReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve verify}: does a candidate model still compute what its reference does? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a candidate model with its reference.",
      "Runs both with ONNX Runtime on the same inputs; reports max abs/rel error,",
      "top-1 agreement, file size and p50/p99 latency ratios.",
      "Exit code 1 when the tolerance is not met."
    })
final class VerifyCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "REFERENCE",
      description = "The original .onnx model (or its bundle).")
  Path reference;

  @Parameters(
      index = "1",
      paramLabel = "CANDIDATE",
      description = "The .onnx model (or bundle) to check.")
  Path candidate;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = {
        "JSON {\"inputs\": {NAME: [row, ...]}, \"labels\": [...]}",
        "as models/testdata/digits-heldout.json (default:",
        "inputs synthesized from the signature)."
      })
  Path data;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description = "Inputs to run (default: all rows of --data, else 100).")
  Integer samples;

  @Option(
      names = "--tolerance",
      paramLabel = "SPEC",
      description = {
        "abs=A,rel=R,top1=F: an element passes when",
        "|cand-ref| <= A + R*|ref|, a classifier output when",
        "top-1 agreement >= F; 'off' disables a check",
        "(default: abs=1e-4,rel=1e-3,top1=0.99)."
      })
  String tolerance;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed for synthesized inputs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  VerifyCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    VerifyOptions options =
        VerifyOptions.defaults().withSamples(samples).withData(data).withSeed(seed);
    if (tolerance != null)
      options = options.withTolerance(VerifyOptions.Tolerance.parse(tolerance));
    VerifyReport r = Verifier.verify(reference, candidate, options, new ProgressBars(err));
    if (json) JsonOutput.print(out, r);
    else print(r);
    return r.passed() ? 0 : 1;
  }

  private void print(VerifyReport r) {
    out.printf("reference: %s%ncandidate: %s%n", r.reference(), r.candidate());
    out.printf("inputs:    %s, %d samples%n", r.inputs(), r.samples());
    out.printf("tolerance: %s%n%n", r.tolerance());
    out.printf(
        "%-16s %10s %10s %14s %8s %17s  %s%n",
        "output", "max abs", "max rel", "outside", "top-1", "accuracy ref/cand", "result");
    for (VerifyReport.OutputComparison o : r.outputs()) {
      out.printf(
          Locale.ROOT,
          "%-16s %10.3g %10.3g %14s %8s %17s  %s%n",
          o.name(),
          o.maxAbsError(),
          o.maxRelError(),
          o.outOfTolerance() + "/" + o.elements(),
          o.top1Agreement() == null ? "-" : percent(o.top1Agreement()),
          o.referenceAccuracy() == null
              ? "-"
              : percent(o.referenceAccuracy()) + " / " + percent(o.candidateAccuracy()),
          o.passed() ? "ok" : "FAIL");
    }
    for (String s : r.skippedOutputs()) out.printf("%-16s not a numeric tensor, not compared%n", s);
    out.println();
    out.printf(
        "size:      %s -> %s (%.3fx)%n",
        Sizes.bytes(r.referenceBytes()), Sizes.bytes(r.candidateBytes()), r.sizeRatio());
    out.printf(
        "latency:   p50 %.3f -> %.3f ms (%.2fx), p99 %.3f -> %.3f ms (%.2fx), interleaved%n",
        r.referenceLatency().p50Millis(),
        r.candidateLatency().p50Millis(),
        r.p50Ratio(),
        r.referenceLatency().p99Millis(),
        r.candidateLatency().p99Millis(),
        r.p99Ratio());
    if (r.passed()) {
      out.println("PASSED: the candidate is within tolerance");
    } else {
      out.println("FAILED:");
      r.failures().forEach(f -> out.println("  " + f));
    }
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
  }
}
