package dev.snapserve.cli;

import dev.snapserve.functions.Manifest;
import dev.snapserve.packager.Inspector;
import dev.snapserve.packager.ModelReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve inspect}: the {@code saved_model_cli show --all} of ONNX. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show what an ONNX model or bundle contains.",
      "Producer, IR version, opsets, inputs and outputs, initializers, op histogram,",
      "custom domains, metadata; for a bundle also its manifest and integrity.",
      "Exit code 1 when a bundle's model does not match its manifest."
    })
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL_OR_BUNDLE", description = "An .onnx file or a bundle directory.")
  Path model;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  private final PrintStream out;

  InspectCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    ModelReport r = Inspector.inspect(model);
    if (json) JsonOutput.print(out, r);
    else print(r);
    return r.bundle() != null && !r.bundle().integrity().ok() ? 1 : 0;
  }

  private void print(ModelReport r) {
    out.printf("model: %s (%s)%n", r.modelFile(), Sizes.bytes(r.sizeBytes()));
    out.printf(
        "  producer: %s %s%n",
        orNone(r.producerName()), r.producerVersion() == null ? "" : r.producerVersion());
    out.printf("  ir_version: %d%n", r.irVersion());
    out.printf("  opsets: %s%n", join(r.opsets()));
    if (!r.graphName().isEmpty()) out.printf("  graph: %s%n", r.graphName());
    out.println();
    out.println("signature:");
    out.println("  inputs:");
    for (ModelReport.Value v : r.inputs()) printValue(v);
    out.println("  outputs:");
    for (ModelReport.Value v : r.outputs()) printValue(v);
    out.println();
    out.printf("initializers: %d (%s)%n", r.initializerCount(), Sizes.bytes(r.initializerBytes()));
    out.printf("nodes: %d%n", r.nodeCount());
    int width = r.opHistogram().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, Integer> op : r.opHistogram().entrySet()) {
      out.printf("  %-" + width + "s  %d%n", op.getKey(), op.getValue());
    }
    out.printf(
        "custom domains: %s%n",
        r.customDomains().isEmpty()
            ? "none (standard ONNX ops only)"
            : String.join(", ", r.customDomains()) + " (needs a runtime that implements them)");
    out.printf("metadata: %s%n", r.metadata().isEmpty() ? "none" : "");
    r.metadata().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
    if (r.bundle() != null) printBundle(r.bundle());
  }

  private void printValue(ModelReport.Value v) {
    out.printf("    %s: %s %s%n", v.name(), v.dtype(), v.shapeText());
  }

  private void printBundle(ModelReport.Bundle b) {
    Manifest m = b.manifest();
    out.println();
    out.printf("bundle: %s%n", b.directory());
    out.printf("  name: %s  version: %s  format: %s%n", m.name(), m.version(), m.format());
    if (m.signature() != null) {
      m.signature()
          .inputs()
          .forEach(t -> out.printf("  input %s: %s %s%n", t.name(), t.datatype(), t.shape()));
      m.signature()
          .outputs()
          .forEach(t -> out.printf("  output %s: %s %s%n", t.name(), t.datatype(), t.shape()));
    }
    if (m.labels() != null) out.printf("  labels: %s%n", m.labels());
    new java.util.TreeMap<>(m.provenance())
        .forEach((k, v) -> out.printf("  provenance.%s: %s%n", k, v));
    ModelReport.Integrity i = b.integrity();
    if (i.ok()) {
      out.printf("  integrity: OK (sha256 %s, %d bytes)%n", i.actualSha256(), i.actualSizeBytes());
    } else {
      out.printf("  integrity: FAILED: %s%n", i.problem());
      out.printf("    manifest sha256 %s, %d bytes%n", i.expectedSha256(), i.expectedSizeBytes());
      out.printf("    file     sha256 %s, %d bytes%n", i.actualSha256(), i.actualSizeBytes());
    }
  }

  private static String join(Map<String, Long> opsets) {
    StringBuilder s = new StringBuilder();
    opsets.forEach((d, v) -> s.append(s.isEmpty() ? "" : ", ").append(d).append('=').append(v));
    return s.isEmpty() ? "none" : s.toString();
  }

  private static String orNone(String s) {
    return s == null || s.isEmpty() ? "(not set)" : s;
  }
}
