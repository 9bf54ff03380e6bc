package dev.snapserve.packager.internal.quant;

import com.google.protobuf.ByteString;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads and builds the initializer tensors the quantizers touch (ONNX stores little-endian), and
 * the Cast that turns a stored one back to float.
 */
final class Tensors {
  private Tensors() {}

  static boolean isFloat(TensorProto t) {
    return t.getDataType() == DataType.FLOAT_VALUE;
  }

  static long count(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) n *= d;
    return n;
  }

  /** The values of a FLOAT tensor, whether stored as raw_data or float_data. */
  static float[] floats(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new PackagerException(
          "initializer '"
              + t.getName()
              + "' is stored in an external data file; quantize supports self-contained models"
              + " only");
    }
    int n = Math.toIntExact(count(t));
    float[] out = new float[n];
    if (!t.getRawData().isEmpty()) {
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    } else {
      for (int i = 0; i < n; i++) out[i] = t.getFloatData(i);
    }
    return out;
  }

  /**
   * The node that turns a stored (int8, float16) tensor {@code input} into float {@code output}.
   */
  static NodeProto castToFloat(String name, String input, String output) {
    return NodeProto.newBuilder()
        .setOpType("Cast")
        .setName(name)
        .addInput(input)
        .addOutput(output)
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("to")
                .setType(AttributeProto.AttributeType.INT)
                .setI(DataType.FLOAT_VALUE))
        .build();
  }

  static TensorProto floatTensor(String name, List<Long> dims, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return raw(name, DataType.FLOAT, dims, b.array());
  }

  static TensorProto int8Tensor(String name, List<Long> dims, byte[] values) {
    return raw(name, DataType.INT8, dims, values);
  }

  static TensorProto uint8Tensor(String name, List<Long> dims, byte[] values) {
    return raw(name, DataType.UINT8, dims, values);
  }

  static TensorProto float16Tensor(String name, List<Long> dims, short[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.asShortBuffer().put(values);
    return raw(name, DataType.FLOAT16, dims, b.array());
  }

  private static TensorProto raw(String name, DataType type, List<Long> dims, byte[] data) {
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(type.getNumber())
        .addAllDims(dims)
        .setRawData(ByteString.copyFrom(data))
        .build();
  }
}
