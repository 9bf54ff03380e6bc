package dev.snapserve.functions.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/** One model output copied out of ONNX Runtime, able to write any row-major slice as JSON. */
final class OutputTensor {
  final String name;
  final DataType datatype;
  final long[] shape;
  private final Buffer data;
  private final String[] strings;

  private OutputTensor(
      String name, DataType datatype, long[] shape, Buffer data, String[] strings) {
    this.name = name;
    this.datatype = datatype;
    this.shape = shape;
    this.data = data;
    this.strings = strings;
  }

  static OutputTensor of(String name, OnnxValue value) throws OrtException {
    if (!(value instanceof OnnxTensor t)) {
      throw new SnapserveException(
          ErrorCode.INTERNAL,
          "model output '" + name + "' is a " + value.getType() + ", not a tensor");
    }
    TensorInfo info = t.getInfo();
    long[] shape = info.getShape();
    return switch (info.type) {
      case FLOAT -> new OutputTensor(name, DataType.FP32, shape, t.getFloatBuffer(), null);
      case DOUBLE -> new OutputTensor(name, DataType.FP64, shape, t.getDoubleBuffer(), null);
      case INT64 -> new OutputTensor(name, DataType.INT64, shape, t.getLongBuffer(), null);
      case INT32 -> new OutputTensor(name, DataType.INT32, shape, t.getIntBuffer(), null);
      case INT8 -> new OutputTensor(name, DataType.INT8, shape, t.getByteBuffer(), null);
      case UINT8 -> new OutputTensor(name, DataType.UINT8, shape, t.getByteBuffer(), null);
      case BOOL -> new OutputTensor(name, DataType.BOOL, shape, t.getByteBuffer(), null);
      case STRING -> new OutputTensor(name, DataType.BYTES, shape, null, flatten(t.getValue()));
      default ->
          throw new SnapserveException(
              ErrorCode.INTERNAL,
              "model output '" + name + "' has element type " + info.type + ", not supported yet");
    };
  }

  long elements() {
    return PredictDecoder.elements(shape);
  }

  /** Writes elements [from, from + count) flat. */
  void writeFlat(JsonGenerator g, int from, int count) throws IOException {
    g.writeStartArray();
    writeElements(g, from, count);
    g.writeEndArray();
  }

  /**
   * Writes the sub-tensor that starts at {@code from} with the dims shape[dim..] as nested lists.
   */
  void writeNested(JsonGenerator g, int dim, int from) throws IOException {
    if (dim == shape.length) {
      writeElements(g, from, 1);
      return;
    }
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) stride *= (int) shape[d];
    g.writeStartArray();
    if (dim == shape.length - 1) {
      writeElements(g, from, (int) shape[dim]);
    } else {
      for (int i = 0; i < shape[dim]; i++) writeNested(g, dim + 1, from + i * stride);
    }
    g.writeEndArray();
  }

  /** Elements per entry along dimension 0. */
  int rowStride() {
    int stride = 1;
    for (int d = 1; d < shape.length; d++) stride *= (int) shape[d];
    return stride;
  }

  private void writeElements(JsonGenerator g, int from, int count) throws IOException {
    int to = from + count;
    switch (datatype) {
      case FP32 -> {
        FloatBuffer b = (FloatBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i));
      }
      case FP64 -> {
        DoubleBuffer b = (DoubleBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i));
      }
      case INT64 -> {
        LongBuffer b = (LongBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i));
      }
      case INT32 -> {
        IntBuffer b = (IntBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i));
      }
      case INT8 -> {
        ByteBuffer b = (ByteBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i));
      }
      case UINT8 -> {
        ByteBuffer b = (ByteBuffer) data;
        for (int i = from; i < to; i++) g.writeNumber(b.get(i) & 0xff);
      }
      case BOOL -> {
        ByteBuffer b = (ByteBuffer) data;
        for (int i = from; i < to; i++) g.writeBoolean(b.get(i) != 0);
      }
      case BYTES -> {
        for (int i = from; i < to; i++) g.writeString(strings[i]);
      }
    }
  }

  private static String[] flatten(Object nested) {
    if (nested instanceof String s) return new String[] {s};
    java.util.List<String> out = new java.util.ArrayList<>();
    collect(nested, out);
    return out.toArray(String[]::new);
  }

  private static void collect(Object o, java.util.List<String> out) {
    if (o instanceof String s) {
      out.add(s);
      return;
    }
    for (int i = 0, n = Array.getLength(o); i < n; i++) collect(Array.get(o, i), out);
  }
}
