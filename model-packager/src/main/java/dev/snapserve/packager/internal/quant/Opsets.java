package dev.snapserve.packager.internal.quant;

import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.OperatorSetIdProto;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The default-domain opset a rewritten graph needs, raised only where that is provably safe. */
public final class Opsets {
  /** Below 7 Add/Mul/... had legacy broadcast attributes: no safe upgrade from there. */
  static final int OLDEST_UPGRADABLE = 7;

  /**
   * Ops whose meaning did not change between opset 7 and 13 (later versions only added types,
   * negative axes, or optional attributes with old defaults). Softmax (13), Unsqueeze/Squeeze/Split
   * (13), Clip (11), Pad (11), Dropout (12), Upsample/Resize and the like are deliberately absent.
   */
  static final Set<String> STABLE_7_TO_13 =
      Set.of(
          "Abs",
          "Add",
          "AveragePool",
          "Cast",
          "Concat",
          "Constant",
          "Conv",
          "Div",
          "Erf",
          "Exp",
          "Flatten",
          "Gather",
          "Gemm",
          "GlobalAveragePool",
          "Identity",
          "MatMul",
          "MaxPool",
          "Mul",
          "Neg",
          "Pow",
          "Reciprocal",
          "ReduceMean",
          "Relu",
          "Reshape",
          "Shape",
          "Sigmoid",
          "Sqrt",
          "Sub",
          "Tanh",
          "Transpose");

  private Opsets() {}

  /**
   * Drops opset imports of domains no node uses: ONNX Runtime's optimizer writes one for every
   * domain it knows (com.microsoft, ai.onnx.ml, ...), which would make the output look like it
   * needs them.
   */
  public static ModelProto withoutUnusedImports(ModelProto model) {
    Set<String> used = new HashSet<>();
    usedDomains(model.getGraph(), used);
    ModelProto.Builder b = model.toBuilder().clearOpsetImport();
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (isDefaultDomain(o.getDomain()) || used.contains(o.getDomain())) b.addOpsetImport(o);
    }
    return b.build();
  }

  private static void usedDomains(GraphProto graph, Set<String> used) {
    for (NodeProto n : graph.getNodeList()) {
      used.add(n.getDomain());
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) usedDomains(a.getG(), used);
        for (GraphProto sub : a.getGraphsList()) usedDomains(sub, used);
      }
    }
  }

  static boolean isDefaultDomain(String domain) {
    return domain.isEmpty() || domain.equals("ai.onnx");
  }

  /** The model's default-domain (ai.onnx) opset version, or 0 when it imports none. */
  public static long defaultVersion(ModelProto model) {
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (isDefaultDomain(o.getDomain())) return o.getVersion();
    }
    return 0;
  }

  /**
   * Returns {@code model} importing at least {@code required} of the default domain. An older
   * import is raised when every default-domain op in {@code originalNodes} means the same at the
   * new version; otherwise a {@link PackagerException} names the opset and the op.
   *
   * @param why the inserted ops that need {@code required}, for the message
   */
  public static ModelProto atLeast(
      ModelProto model, long required, List<NodeProto> originalNodes, Path file, String why) {
    long current = defaultVersion(model);
    if (current >= required) return model;
    String refusal =
        file
            + " imports ai.onnx opset "
            + current
            + " but "
            + why
            + " need opset "
            + required
            + "; ";
    if (current < OLDEST_UPGRADABLE) {
      throw new PackagerException(
          refusal
              + "opsets below 7 cannot be upgraded safely: re-export the model with opset >= "
              + required);
    }
    for (NodeProto n : originalNodes) {
      if (isDefaultDomain(n.getDomain()) && !STABLE_7_TO_13.contains(n.getOpType())) {
        throw new PackagerException(
            refusal
                + "op "
                + n.getOpType()
                + " (node '"
                + n.getName()
                + "') changed meaning between opset "
                + current
                + " and "
                + required
                + ", so the import cannot be raised safely: re-export the model with opset >= "
                + required);
      }
    }
    ModelProto.Builder b = model.toBuilder();
    for (int i = 0; i < b.getOpsetImportCount(); i++) {
      if (isDefaultDomain(b.getOpsetImport(i).getDomain())) {
        b.setOpsetImport(i, b.getOpsetImport(i).toBuilder().setVersion(required));
      }
    }
    // IR version 7 is the first that may carry opset 13 (6 for 11)
    b.setIrVersion(Math.max(b.getIrVersion(), required >= 13 ? 7 : 6));
    return b.build();
  }
}
