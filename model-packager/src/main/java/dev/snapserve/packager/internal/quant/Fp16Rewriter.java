package dev.snapserve.packager.internal.quant;

import dev.snapserve.packager.QuantizeResult.Skipped;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Weight-only float16: every FLOAT initializer is stored as FLOAT16 and a Cast back to float
 * produces the original name, so the graph's ops, inputs and outputs stay float32 (ONNX Runtime
 * folds the casts once at load). Halves the file; the arithmetic is unchanged.
 */
public final class Fp16Rewriter {
  /** The largest finite float16. */
  static final float FLOAT16_MAX = 65504f;

  /**
   * @param converted names of the initializers now stored as float16
   */
  public record Outcome(
      GraphProto graph, List<String> converted, List<Skipped> skipped, double maxAbsWeightError) {}

  private Fp16Rewriter() {}

  public static Outcome rewrite(GraphProto graph) {
    Names names = new Names(graph);
    Set<String> graphInputs = new HashSet<>();
    for (ValueInfoProto v : graph.getInputList()) graphInputs.add(v.getName());
    List<NodeProto> casts = new ArrayList<>();
    List<TensorProto> initializers = new ArrayList<>();
    List<String> converted = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    double maxError = 0;
    for (TensorProto t : graph.getInitializerList()) {
      if (!Tensors.isFloat(t)) {
        initializers.add(t);
        continue;
      }
      if (graphInputs.contains(t.getName())) {
        // an initializer that is also a graph input is a default the caller may replace in float
        skipped.add(new Skipped(t.getName(), "initializer", "is also a graph input"));
        initializers.add(t);
        continue;
      }
      float[] v = Tensors.floats(t);
      float max = 0;
      for (float f : v) max = Math.max(max, Math.abs(f));
      if (max > FLOAT16_MAX) {
        skipped.add(
            new Skipped(
                t.getName(), "initializer", "holds " + max + ", beyond float16's range of 65504"));
        initializers.add(t);
        continue;
      }
      short[] h = new short[v.length];
      for (int i = 0; i < v.length; i++) {
        h[i] = Float.floatToFloat16(v[i]);
        maxError = Math.max(maxError, Math.abs(v[i] - Float.float16ToFloat(h[i])));
      }
      String half = names.fresh(t.getName(), "_fp16");
      initializers.add(Tensors.float16Tensor(half, t.getDimsList(), h));
      casts.add(Tensors.castToFloat(names.fresh(t.getName(), "_Cast"), half, t.getName()));
      converted.add(t.getName());
    }
    GraphProto out =
        graph.toBuilder()
            .clearInitializer()
            .addAllInitializer(initializers)
            .clearNode()
            .addAllNode(casts) // no inputs of their own: first keeps the nodes sorted
            .addAllNode(graph.getNodeList())
            .build();
    return new Outcome(out, converted, skipped, maxError);
  }
}
