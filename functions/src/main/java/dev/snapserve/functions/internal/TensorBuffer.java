package dev.snapserve.functions.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.snapserve.functions.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A growable, reusable native-order direct buffer that request decoders write elements into. ONNX
 * Runtime wraps a direct buffer without copying it, so a pooled buffer costs nothing per request
 * once it has grown to the working size (heap buffers are copied element by element).
 */
final class TensorBuffer {
  private ByteBuffer bytes = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
  private final List<String> strings = new ArrayList<>();
  private DataType type = DataType.FP32;
  private int count;

  void reset(DataType newType) {
    type = newType;
    count = 0;
    bytes.clear();
    strings.clear();
  }

  DataType type() {
    return type;
  }

  /** Elements written so far. */
  int count() {
    return count;
  }

  void addFloat(float v) {
    ensure(4).putFloat(v);
    count++;
  }

  void addDouble(double v) {
    ensure(8).putDouble(v);
    count++;
  }

  void addLong(long v) {
    ensure(8).putLong(v);
    count++;
  }

  void addInt(int v) {
    ensure(4).putInt(v);
    count++;
  }

  void addByte(byte v) {
    ensure(1).put(v);
    count++;
  }

  void addString(String v) {
    strings.add(v);
    count++;
  }

  private ByteBuffer ensure(int n) {
    if (bytes.remaining() < n) {
      ByteBuffer bigger =
          ByteBuffer.allocateDirect(Math.max(bytes.capacity() * 2, bytes.position() + n))
              .order(ByteOrder.nativeOrder());
      bytes.flip();
      bigger.put(bytes);
      bytes = bigger;
    }
    return bytes;
  }

  /** Wraps the written elements as an ORT tensor; valid until this buffer is reset. */
  OnnxTensor toTensor(OrtEnvironment env, long[] shape) throws OrtException {
    ByteBuffer data = bytes.duplicate().order(ByteOrder.nativeOrder()).flip();
    return switch (type) {
      case FP32 -> OnnxTensor.createTensor(env, data.asFloatBuffer(), shape);
      case FP64 -> OnnxTensor.createTensor(env, data.asDoubleBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, data.asLongBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, data.asIntBuffer(), shape);
      case INT8 -> OnnxTensor.createTensor(env, data, shape, OnnxJavaType.INT8);
      case UINT8 -> OnnxTensor.createTensor(env, data, shape, OnnxJavaType.UINT8);
      case BOOL -> OnnxTensor.createTensor(env, data, shape, OnnxJavaType.BOOL);
      case BYTES -> OnnxTensor.createTensor(env, strings.toArray(String[]::new), shape);
    };
  }
}
