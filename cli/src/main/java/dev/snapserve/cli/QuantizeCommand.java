package dev.snapserve.cli;

import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.QuantizeOptions;
import dev.snapserve.packager.QuantizeOptions.Mode;
import dev.snapserve.packager.QuantizeOptions.Weights;
import dev.snapserve.packager.QuantizeResult;
import dev.snapserve.packager.Quantizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve quantize}: a thin front for {@link Quantizer}. */
@Command(
    name = "quantize",
    description = {
      "Quantize an ONNX model into a new file (the input is never modified).",
      "int8: MatMul/Gemm weights to 8 bits per output column with activations quantized at run",
      "time (DynamicQuantizeLinear + MatMulInteger), Conv weights INT8 per output channel;",
      "fp16: float initializers stored as float16, inputs and outputs stay float32.",
      "ONNX Runtime's basic optimization runs first, so weights in Constant nodes are included."
    })
final class QuantizeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model to quantize.")
  Path model;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "OUT",
      description = "Where to write the quantized model (not MODEL).")
  Path output;

  @Option(
      names = "--mode",
      required = true,
      paramLabel = "int8|fp16",
      description = "int8 (dynamic quantization) or fp16 (float16 weights).")
  String mode;

  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  @Option(
      names = "--weights",
      paramLabel = "u8|s8|s7",
      description =
          "int8: how MatMul weights are stored. u8 (default): ONNX Runtime's integer products"
              + " are exact on every CPU. s8: faster on x86 CPUs with VNNI, but on x86 CPUs"
              + " without VNNI ONNX Runtime's kernel saturates and accuracy drops. s7: 7-bit"
              + " (reduce_range), never saturates, less precise.")
  String weights;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  QuantizeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Mode m = Mode.parse(mode);
    if (weights != null && m != Mode.INT8) {
      throw new PackagerException("--weights applies to --mode int8 only");
    }
    QuantizeResult r =
        Quantizer.quantize(
            QuantizeOptions.of(model, output, m)
                .withForce(force)
                .withWeights(weights == null ? Weights.U8 : Weights.parse(weights))
                .withProgress(new ProgressBars(err)));
    if (json) {
      JsonOutput.print(out, r);
      return 0;
    }
    out.printf(
        Locale.ROOT,
        "wrote %s (%s): %,d -> %,d bytes, %.2fx smaller%n",
        r.output(),
        r.mode().name().toLowerCase(Locale.ROOT),
        r.sizeBefore(),
        r.sizeAfter(),
        r.sizeRatio());
    out.printf(
        Locale.ROOT,
        "%s %d, max abs weight error %.3g, ai.onnx opset %d -> %d%n",
        r.mode() == Mode.INT8 ? "nodes quantized:" : "initializers converted:",
        r.quantized().size(),
        r.maxAbsWeightError(),
        r.opsetBefore(),
        r.opsetAfter());
    for (QuantizeResult.Skipped s : r.skipped()) {
      out.printf("skipped %s (%s): %s%n", s.name(), s.op(), s.reason());
    }
    for (String note : r.notes()) out.println("note: " + note);
    return 0;
  }
}
