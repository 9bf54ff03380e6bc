package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Streams one JSON value (a scalar or nested arrays) into a {@link TensorBuffer}, checking each
 * element against the input's datatype and inferring the shape from the nesting. Numbers go
 * straight from the parser into the buffer: no boxing, no intermediate tree.
 */
final class TensorReader {
  private final boolean allowNonFinite;
  private final long[] dims = new long[16];
  private int rank;
  private int leafDepth;
  private String input;
  private TensorBuffer out;

  TensorReader(boolean allowNonFinite) {
    this.allowNonFinite = allowNonFinite;
  }

  /**
   * Reads the value at the parser's current token and returns its shape. Called repeatedly with the
   * same buffer (row format), each value is appended.
   */
  long[] read(JsonParser p, TensorBuffer buffer, String inputName) throws IOException {
    input = inputName;
    out = buffer;
    rank = 0;
    leafDepth = -1;
    value(p, 0);
    return Arrays.copyOf(dims, leafDepth < 0 ? rank : leafDepth);
  }

  /**
   * Reads a {@code {"b64": ...}} object whose first field name is the current token (the caller
   * looked at it to tell it from an instance keyed by input name); returns the scalar shape.
   */
  long[] readBase64Object(JsonParser p, TensorBuffer buffer, String inputName) throws IOException {
    input = inputName;
    out = buffer;
    out.addString(base64Object(p));
    return new long[0];
  }

  private void value(JsonParser p, int depth) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_ARRAY) {
      if (leafDepth < 0) leafDepth = depth;
      else if (leafDepth != depth) throw ragged();
      element(p, t);
      return;
    }
    if (depth >= dims.length) throw invalid("nests arrays deeper than " + dims.length + " levels");
    boolean first = depth == rank;
    if (first) rank = depth + 1;
    long n = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) throw invalid("ends before its array is closed");
      if (t == JsonToken.START_ARRAY
          || t == JsonToken.START_OBJECT && out.type() != DataType.BYTES) {
        value(p, depth + 1);
      } else {
        // fast path: a run of scalars at this depth
        if (leafDepth < 0) leafDepth = depth + 1;
        else if (leafDepth != depth + 1) throw ragged();
        element(p, t);
      }
      n++;
    }
    if (first) dims[depth] = n;
    else if (dims[depth] != n) throw ragged();
  }

  private void element(JsonParser p, JsonToken t) throws IOException {
    DataType type = out.type();
    switch (type) {
      case FP32, FP64 -> {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
          throw invalid("has " + describe(t) + " where a " + type + " number is expected");
        }
        if (type == DataType.FP32) {
          float v = p.getFloatValue();
          if (!Float.isFinite(v)) nonFinite(p);
          out.addFloat(v);
        } else {
          double v = p.getDoubleValue();
          if (!Double.isFinite(v)) nonFinite(p);
          out.addDouble(v);
        }
      }
      case INT64, INT32, INT8, UINT8 -> {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
          throw invalid(
              "has the fractional number " + p.getText() + " but its datatype is " + type);
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
          throw invalid("has " + describe(t) + " where a " + type + " integer is expected");
        }
        integer(p, type);
      }
      case BOOL -> {
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
          throw invalid("has " + describe(t) + " where true or false is expected");
        }
        out.addByte(t == JsonToken.VALUE_TRUE ? (byte) 1 : (byte) 0);
      }
      case BYTES -> out.addString(bytesElement(p, t));
    }
  }

  private void integer(JsonParser p, DataType type) throws IOException {
    try {
      switch (type) {
        case INT64 -> out.addLong(p.getLongValue());
        case INT32 -> out.addInt(p.getIntValue());
        default -> {
          int v = p.getIntValue();
          int min = type == DataType.INT8 ? Byte.MIN_VALUE : 0;
          int max = type == DataType.INT8 ? Byte.MAX_VALUE : 255;
          if (v < min || v > max) throw outOfRange(p, type);
          out.addByte((byte) v);
        }
      }
    } catch (InputCoercionException e) {
      throw outOfRange(p, type);
    }
  }

  private String bytesElement(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) return p.getText();
    if (t != JsonToken.START_OBJECT) {
      throw invalid("has " + describe(t) + " where a string or {\"b64\": ...} is expected");
    }
    p.nextToken();
    return base64Object(p);
  }

  /** The rest of a {"b64": ...} object, from its first field name (or its end). */
  private String base64Object(JsonParser p) throws IOException {
    String b64 = null;
    for (JsonToken f = p.currentToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (!"b64".equals(field) || v != JsonToken.VALUE_STRING) {
        throw invalid("has an object that is not {\"b64\": \"<base64>\"}");
      }
      b64 = p.getText();
    }
    if (b64 == null) throw invalid("has an object that is not {\"b64\": \"<base64>\"}");
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw invalid("has invalid base64 in a \"b64\" value: " + e.getMessage());
    }
    try {
      // ONNX Runtime's Java API carries string tensors as UTF-8 text
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid("has \"b64\" bytes that are not UTF-8 text, which string tensors require");
    }
  }

  private void nonFinite(JsonParser p) throws IOException {
    if (allowNonFinite) return;
    throw invalid(
        "has the non-finite value "
            + p.getText()
            + " (NaN and Infinity are refused; set SNAPSERVE_ALLOW_NON_FINITE=true to allow them)");
  }

  private SnapserveException outOfRange(JsonParser p, DataType type) throws IOException {
    return invalid("has " + p.getText() + ", which is out of range for " + type);
  }

  private SnapserveException ragged() {
    return invalid("is ragged: nested arrays must all have the same length at each level");
  }

  private SnapserveException invalid(String what) {
    return SnapserveException.invalid("input '" + input + "' " + what);
  }

  static String describe(JsonToken t) {
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> String.valueOf(t);
    };
  }
}
