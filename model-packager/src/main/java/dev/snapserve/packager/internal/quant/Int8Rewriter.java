package dev.snapserve.packager.internal.quant;

import dev.snapserve.packager.QuantizeOptions.Weights;
import dev.snapserve.packager.QuantizeResult.Skipped;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto.DataType;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 quantization in the manner of ONNX Runtime's {@code quantize_dynamic}.
 *
 * <p>MatMul/Gemm with a constant 2-D weight: the weight becomes 8-bit, symmetric, one scale per
 * output column; the activation is quantized at run time. {@code Y = X·W} becomes
 *
 * <pre>
 * DynamicQuantizeLinear(X) -> Xq (uint8), Xs, Xzp
 * MatMulInteger(Xq, Wq, Xzp[, 128]) -> int32 -> Cast(float) -> Mul(Xs * Ws[col]) [-> Add(bias)]
 * </pre>
 *
 * which ONNX Runtime runs as an integer GEMM: u8u8 for {@link Weights#U8} (the signed values plus
 * 128, with zero point 128), u8s8 otherwise. Conv weights are stored INT8 per output channel and
 * turned back into float by Cast + Mul(scale[channel]), which ONNX Runtime's constant folding
 * evaluates once at load, so the Conv keeps a constant float weight and its fast (NCHWc) kernels.
 * Not ConvInteger (slow on CPU, per-tensor only; convolutions with folded batch-norm need a scale
 * per channel), and not DequantizeLinear: ONNX Runtime keeps that unfolded for its QDQ fusions and
 * dequantizes on every run.
 */
public final class Int8Rewriter {
  /** MatMulInteger and DynamicQuantizeLinear exist from opset 11 (Cast and Mul much earlier). */
  static final long MATMUL_INTEGER_OPSET = 11;

  /**
   * @param quantized names of the rewritten nodes
   * @param requiredOpset the default-domain opset the inserted ops need (0 when none were)
   * @param insertedOps what needs {@code requiredOpset}, for messages
   */
  public record Outcome(
      GraphProto graph,
      List<String> quantized,
      List<Skipped> skipped,
      double maxAbsWeightError,
      long requiredOpset,
      String insertedOps) {}

  private final GraphProto graph;
  private final Weights weights;
  private final int qmax;
  private String weightZeroPoint; // the one uint8 128 every U8 MatMulInteger shares
  private final Map<String, TensorProto> initializers = new HashMap<>();
  private final Set<String> graphInputs = new HashSet<>();
  private final Names names;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> added = new ArrayList<>();
  private final Map<String, String[]> quantizedActivations = new HashMap<>();
  private final Map<String, String[]> quantizedWeights = new HashMap<>();
  private final Set<String> replacedWeights = new HashSet<>();
  private final List<String> quantized = new ArrayList<>();
  private final List<Skipped> skipped = new ArrayList<>();
  private double maxError;
  private boolean matmuls;

  private Int8Rewriter(GraphProto graph, Weights weights) {
    this.graph = graph;
    this.weights = weights;
    // 7-bit weights keep u8 x s8 pair sums inside int16 on x86 CPUs without VNNI
    this.qmax = weights == Weights.S7 ? 63 : 127;
    for (TensorProto t : graph.getInitializerList()) initializers.put(t.getName(), t);
    for (ValueInfoProto v : graph.getInputList()) graphInputs.add(v.getName());
    this.names = new Names(graph);
  }

  /** Rewrites the top-level graph; subgraphs (If/Loop bodies) are left as they are. */
  public static Outcome rewrite(GraphProto graph, Weights weights) {
    return new Int8Rewriter(graph, weights).run();
  }

  private Outcome run() {
    for (NodeProto node : graph.getNodeList()) {
      boolean done =
          Opsets.isDefaultDomain(node.getDomain())
              && switch (node.getOpType()) {
                case "MatMul" -> matMul(node, false, 1f, null, 1f);
                case "Gemm" -> gemm(node);
                case "Conv" -> conv(node);
                default -> false;
              };
      if (done) quantized.add(label(node));
      else nodes.add(node);
    }
    GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
    Set<String> referenced = referencedNames(out);
    for (TensorProto t : graph.getInitializerList()) {
      if (!replacedWeights.contains(t.getName()) || referenced.contains(t.getName())) {
        out.addInitializer(t);
      }
    }
    out.addAllInitializer(added);
    long opset = matmuls ? MATMUL_INTEGER_OPSET : 0;
    return new Outcome(
        out.build(),
        quantized,
        skipped,
        maxError,
        opset,
        "DynamicQuantizeLinear and MatMulInteger");
  }

  private boolean gemm(NodeProto node) {
    if (intAttr(node, "transA", 0) != 0) return skip(node, "transA=1 is not supported");
    float alpha = floatAttr(node, "alpha", 1f);
    float beta = floatAttr(node, "beta", 1f);
    String bias = node.getInputCount() > 2 ? node.getInput(2) : "";
    if (!bias.isEmpty() && beta != 1f && !initializers.containsKey(bias)) {
      return skip(node, "bias C is not a constant and beta=" + beta);
    }
    if (!bias.isEmpty() && beta != 1f && graphInputs.contains(bias)) {
      return skip(node, "bias C is also a graph input (overridable) and beta=" + beta);
    }
    return matMul(node, intAttr(node, "transB", 0) != 0, alpha, bias.isEmpty() ? null : bias, beta);
  }

  /** Y = alpha * X·W (+ beta * bias), W the node's input 1, [K,N] or [N,K] when transposed. */
  private boolean matMul(NodeProto node, boolean transB, float alpha, String bias, float beta) {
    String x = node.getInput(0);
    String w = node.getInput(1);
    TensorProto weight = initializers.get(w);
    if (weight == null) {
      return skip(node, "input 1 is not a constant weight (activation x activation)");
    }
    if (initializers.containsKey(x)) return skip(node, "both inputs are constants");
    if (graphInputs.contains(w)) return skip(node, "weight is also a graph input (overridable)");
    if (!Tensors.isFloat(weight)) {
      return skip(node, "weight is " + DataType.forNumber(weight.getDataType()) + ", not FLOAT");
    }
    if (weight.getDimsCount() != 2) {
      return skip(node, "weight has rank " + weight.getDimsCount() + "; only 2-D is quantized");
    }
    matmuls = true;
    String[] q = quantizedWeights.get(w + (transB ? "|T" : "|N"));
    if (q == null || alpha != 1f) {
      q = quantizeColumns(weight, transB, alpha);
      if (alpha == 1f) quantizedWeights.put(w + (transB ? "|T" : "|N"), q);
    }
    replacedWeights.add(w);
    String[] xq = quantizedActivations.get(x);
    if (xq == null) {
      xq =
          new String[] {
            names.fresh(x, "_quantized"), names.fresh(x, "_scale"), names.fresh(x, "_zero_point")
          };
      nodes.add(node("DynamicQuantizeLinear", x, List.of(x), List.of(xq)));
      quantizedActivations.put(x, xq);
    }
    String base = label(node);
    String y = node.getOutput(0);
    String integer = names.fresh(base, "_int32");
    String asFloat = names.fresh(base, "_float");
    String scale = names.fresh(base, "_scale");
    String scaled = bias == null ? y : names.fresh(base, "_scaled");
    List<String> inputs =
        weights == Weights.U8
            ? List.of(xq[0], q[0], xq[2], weightZeroPoint())
            : List.of(xq[0], q[0], xq[2]);
    nodes.add(node("MatMulInteger", base, inputs, List.of(integer)));
    nodes.add(castToFloat(base, integer, asFloat));
    nodes.add(node("Mul", base + "_scale", List.of(xq[1], q[1]), List.of(scale)));
    nodes.add(node("Mul", base, List.of(asFloat, scale), List.of(scaled)));
    if (bias != null) {
      nodes.add(node("Add", base, List.of(scaled, scaledBias(bias, beta)), List.of(y)));
    }
    return true;
  }

  private String scaledBias(String bias, float beta) {
    if (beta == 1f) return bias;
    TensorProto c = initializers.get(bias);
    float[] v = Tensors.floats(c);
    for (int i = 0; i < v.length; i++) v[i] *= beta;
    String name = names.fresh(bias, "_beta");
    added.add(Tensors.floatTensor(name, c.getDimsList(), v));
    replacedWeights.add(bias); // dropped unless something else reads it
    return name;
  }

  private String weightZeroPoint() {
    if (weightZeroPoint == null) {
      weightZeroPoint = names.fresh("weights", "_zero_point");
      added.add(Tensors.uint8Tensor(weightZeroPoint, List.of(), new byte[] {(byte) 128}));
    }
    return weightZeroPoint;
  }

  /**
   * 8-bit [K,N] weight with one symmetric scale per column N, stored as {@link #weights} says;
   * returns {weight, scales}.
   */
  private String[] quantizeColumns(TensorProto weight, boolean transposed, float alpha) {
    float[] v = Tensors.floats(weight);
    int rows = (int) weight.getDims(0);
    int cols = (int) weight.getDims(1);
    int k = transposed ? cols : rows;
    int n = transposed ? rows : cols;
    float[] scales = new float[n];
    for (int i = 0; i < v.length; i++) {
      int col = transposed ? i / cols : i % cols;
      scales[col] = Math.max(scales[col], Math.abs(v[i]));
    }
    for (int c = 0; c < n; c++) scales[c] = scales[c] == 0 ? 1f : scales[c] / qmax;
    byte[] q = new byte[v.length];
    for (int r = 0; r < k; r++) {
      for (int c = 0; c < n; c++) {
        float value = v[transposed ? c * cols + r : r * cols + c];
        q[r * n + c] = quantize(value, scales[c], qmax);
      }
    }
    if (alpha != 1f) for (int c = 0; c < n; c++) scales[c] *= alpha;
    String base = weight.getName();
    String sName;
    String qName;
    List<Long> dims = List.of((long) k, (long) n);
    if (weights == Weights.U8) {
      for (int i = 0; i < q.length; i++) q[i] = (byte) (q[i] + 128);
      qName = names.fresh(base, "_uint8");
      added.add(Tensors.uint8Tensor(qName, dims, q));
    } else {
      qName = names.fresh(base, "_int8");
      added.add(Tensors.int8Tensor(qName, dims, q));
    }
    sName = names.fresh(base, "_scales");
    added.add(Tensors.floatTensor(sName, List.of((long) n), scales));
    return new String[] {qName, sName};
  }

  private boolean conv(NodeProto node) {
    String w = node.getInput(1);
    TensorProto weight = initializers.get(w);
    if (weight == null) return skip(node, "weight is not a constant");
    if (graphInputs.contains(w)) return skip(node, "weight is also a graph input (overridable)");
    if (!Tensors.isFloat(weight)) {
      return skip(node, "weight is " + DataType.forNumber(weight.getDataType()) + ", not FLOAT");
    }
    String[] q = quantizedWeights.get(w + "|C");
    if (q == null) {
      q = quantizeChannels(weight);
      quantizedWeights.put(w + "|C", q);
      nodes.add(castToFloat(q[0], q[0], q[3]));
      nodes.add(node("Mul", q[0], List.of(q[3], q[1]), List.of(q[2])));
    }
    replacedWeights.add(w);
    nodes.add(node.toBuilder().setInput(1, q[2]).build());
    return true;
  }

  /**
   * INT8 [M,...] weight, one scale per output channel M, shaped [M,1,...] to broadcast; returns
   * {weight, scales, float weight, cast}.
   */
  private String[] quantizeChannels(TensorProto weight) {
    float[] v = Tensors.floats(weight);
    int m = (int) weight.getDims(0);
    int per = v.length / m;
    float[] scales = new float[m];
    byte[] q = new byte[v.length];
    for (int c = 0; c < m; c++) {
      float max = 0;
      for (int i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(v[i]));
      // dequantized to float at load: no integer kernel to protect, so always 8 bits
      scales[c] = max == 0 ? 1f : max / 127;
      for (int i = c * per; i < (c + 1) * per; i++) q[i] = quantize(v[i], scales[c], 127);
    }
    List<Long> scaleDims = new ArrayList<>();
    scaleDims.add((long) m);
    for (int d = 1; d < weight.getDimsCount(); d++) scaleDims.add(1L);
    String base = weight.getName();
    String[] n = {
      names.fresh(base, "_int8"),
      names.fresh(base, "_scales"),
      names.fresh(base, "_dequantized"),
      names.fresh(base, "_float")
    };
    added.add(Tensors.int8Tensor(n[0], weight.getDimsList(), q));
    added.add(Tensors.floatTensor(n[1], scaleDims, scales));
    return n;
  }

  private byte quantize(float value, float scale, int limit) {
    int q = Math.round(value / scale);
    q = Math.max(-limit, Math.min(limit, q));
    maxError = Math.max(maxError, Math.abs(value - q * scale));
    return (byte) q;
  }

  /** Node names are optional in ONNX: the first output names an unnamed node. */
  private static String label(NodeProto node) {
    return node.getName().isEmpty() ? node.getOutput(0) : node.getName();
  }

  private NodeProto castToFloat(String base, String input, String output) {
    return Tensors.castToFloat(names.fresh(base, "_Cast"), input, output);
  }

  private boolean skip(NodeProto node, String reason) {
    skipped.add(new Skipped(label(node), node.getOpType(), reason));
    return false;
  }

  private NodeProto node(String op, String base, List<String> inputs, List<String> outputs) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(names.fresh(base, "_" + op))
        .addAllInput(inputs)
        .addAllOutput(outputs)
        .build();
  }

  /** Names read by any node, subgraphs included (they may use outer-scope initializers). */
  static Set<String> referencedNames(GraphProto.Builder g) {
    Set<String> referenced = new HashSet<>();
    addReferences(g.getNodeList(), referenced);
    for (ValueInfoProto o : g.getOutputList()) referenced.add(o.getName());
    return referenced;
  }

  private static void addReferences(List<NodeProto> nodes, Set<String> referenced) {
    for (NodeProto n : nodes) {
      referenced.addAll(n.getInputList());
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) addReferences(a.getG().getNodeList(), referenced);
        for (GraphProto sub : a.getGraphsList()) addReferences(sub.getNodeList(), referenced);
      }
    }
  }

  static long intAttr(NodeProto node, String name, long fallback) {
    for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getI();
    return fallback;
  }

  static float floatAttr(NodeProto node, String name, float fallback) {
    for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a.getF();
    return fallback;
  }
}
