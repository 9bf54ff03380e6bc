package dev.snapserve.packager.internal.quant;

import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;

/** Fresh value and node names that cannot collide with any name already in the graph. */
final class Names {
  private final Set<String> used = new HashSet<>();

  Names(GraphProto graph) {
    for (NodeProto n : graph.getNodeList()) {
      used.add(n.getName());
      used.addAll(n.getInputList());
      used.addAll(n.getOutputList());
    }
    for (TensorProto t : graph.getInitializerList()) used.add(t.getName());
    for (ValueInfoProto v : graph.getInputList()) used.add(v.getName());
    for (ValueInfoProto v : graph.getOutputList()) used.add(v.getName());
    for (ValueInfoProto v : graph.getValueInfoList()) used.add(v.getName());
  }

  /** {@code base + suffix}, or with a counter appended when that is taken. */
  String fresh(String base, String suffix) {
    String name = base + suffix;
    for (int i = 1; !used.add(name); i++) name = base + suffix + "_" + i;
    return name;
  }
}
