package dev.snapserve.functions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes tiny ONNX models by hand (protobuf wire format, field numbers from onnx.proto), for
 * element types no committed fixture has. Only what the tests need: one node, named inputs and
 * outputs.
 */
final class OnnxWriter {
  static final int FLOAT = 1; // TensorProto.DataType.FLOAT
  static final int STRING = 8; // TensorProto.DataType.STRING

  private OnnxWriter() {}

  /** A dimension: a Long is a fixed size, a String a symbolic name. */
  record Value(String name, int elemType, List<Object> dims) {}

  /** A model with one node {@code opType(inputs) -> outputs}, opset 13. */
  static byte[] model(String opType, List<Value> inputs, List<Value> outputs) {
    Proto node = new Proto();
    inputs.forEach(i -> node.string(1, i.name()));
    outputs.forEach(o -> node.string(2, o.name()));
    node.string(3, "n0").string(4, opType);
    Proto graph = new Proto().message(1, node).string(2, "g");
    inputs.forEach(i -> graph.message(11, valueInfo(i)));
    outputs.forEach(o -> graph.message(12, valueInfo(o)));
    return new Proto()
        .varint(1, 7) // ir_version
        .string(2, "snapserve-tests")
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13)) // opset_import
        .bytes();
  }

  private static Proto valueInfo(Value v) {
    Proto shape = new Proto();
    for (Object d : v.dims()) {
      shape.message(
          1, d instanceof Long n ? new Proto().varint(1, n) : new Proto().string(2, (String) d));
    }
    Proto tensorType = new Proto().varint(1, v.elemType()).message(2, shape);
    return new Proto().string(1, v.name()).message(2, new Proto().message(1, tensorType));
  }

  /** A protobuf message being written. */
  static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      raw(value);
      return this;
    }

    Proto string(int field, String s) {
      return lengthDelimited(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
      return lengthDelimited(field, m.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private Proto lengthDelimited(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    private void tag(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
