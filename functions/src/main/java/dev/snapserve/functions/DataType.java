package dev.snapserve.functions;

import java.util.Locale;

/** Tensor element types, named as in the Open Inference Protocol. */
public enum DataType {
  FP32(4, "DT_FLOAT"),
  FP64(8, "DT_DOUBLE"),
  INT64(8, "DT_INT64"),
  INT32(4, "DT_INT32"),
  INT8(1, "DT_INT8"),
  UINT8(1, "DT_UINT8"),
  BOOL(1, "DT_BOOL"),
  BYTES(0, "DT_STRING");

  private final int byteSize;
  private final String tensorflowName;

  DataType(int byteSize, String tensorflowName) {
    this.byteSize = byteSize;
    this.tensorflowName = tensorflowName;
  }

  /** Bytes per element; 0 for variable-length {@link #BYTES}. */
  public int byteSize() {
    return byteSize;
  }

  /** The TensorFlow {@code DataType} enum name, used by TF Serving metadata. */
  public String tensorflowName() {
    return tensorflowName;
  }

  /** Parses an OIP datatype name, case-insensitively. */
  public static DataType parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SnapserveException(
          ErrorCode.INVALID_INPUT,
          "unknown datatype '"
              + name
              + "' (expected one of FP32, FP64, INT64, INT32, INT8, UINT8, BOOL, BYTES)");
    }
  }
}
