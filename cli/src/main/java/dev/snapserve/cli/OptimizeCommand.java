package dev.snapserve.cli;

import dev.snapserve.packager.Optimizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve optimize}: ONNX Runtime's offline graph optimization into a new file. */
@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = {
      "Optimize a model's graph offline with ONNX Runtime.",
      "Writes a new file; the input is never modified. basic keeps standard ONNX",
      "ops; extended adds fusions into ONNX Runtime-only ops (the output says so)."
    })
final class OptimizeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The .onnx file to optimize.")
  Path model;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "OUT",
      description = "The optimized .onnx file to write.")
  Path output;

  @Option(
      names = "--level",
      defaultValue = "basic",
      paramLabel = "basic|extended",
      description = "How far ONNX Runtime may rewrite the graph (default: ${DEFAULT-VALUE}).")
  String level;

  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  private final PrintStream out;

  OptimizeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    Optimizer.Result r = Optimizer.optimize(model, output, Optimizer.Level.parse(level), force);
    if (json) {
      JsonOutput.print(out, Json.of(r));
      return 0;
    }
    out.printf(
        "optimized %s -> %s (level %s)%n",
        r.input(), r.output(), r.level().name().toLowerCase(Locale.ROOT));
    out.printf("  size:  %s -> %s%n", Sizes.bytes(r.sizeBefore()), Sizes.bytes(r.sizeAfter()));
    out.printf("  nodes: %d -> %d%n", r.nodesBefore(), r.nodesAfter());
    if (r.customDomains().isEmpty()) {
      out.println("  ops: standard ONNX only (runs on any ONNX runtime)");
    } else {
      out.printf(
          "  ops: uses ONNX Runtime-only ops from %s: the output runs on ONNX Runtime only%n",
          String.join(", ", r.customDomains()));
    }
    return 0;
  }

  /** The --json document: the result, paths as given, and whether it needs ONNX Runtime. */
  record Json(
      String input,
      String output,
      String level,
      long sizeBefore,
      long sizeAfter,
      int nodesBefore,
      int nodesAfter,
      Set<String> customDomains,
      boolean onnxRuntimeOnly) {
    static Json of(Optimizer.Result r) {
      return new Json(
          r.input().toString(),
          r.output().toString(),
          r.level().name().toLowerCase(Locale.ROOT),
          r.sizeBefore(),
          r.sizeAfter(),
          r.nodesBefore(),
          r.nodesAfter(),
          r.customDomains(),
          !r.customDomains().isEmpty());
    }
  }
}
