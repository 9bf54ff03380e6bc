package dev.snapserve.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.core.JsonParser;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The streaming element reader on its own, for what no fixture model exercises end to end: BYTES
 * inputs as plain strings and {"b64": ...} objects, and the integer types the fixtures lack.
 */
class TensorReaderTest {

  static long[] read(String json, TensorBuffer buffer, DataType type, boolean allowNonFinite)
      throws IOException {
    buffer.reset(type);
    try (JsonParser p = Json.FACTORY.createParser(json.getBytes(StandardCharsets.UTF_8))) {
      p.nextToken();
      long[] shape = new TensorReader(allowNonFinite).read(p, buffer, "x");
      assertThat(p.nextToken()).as("the reader consumes exactly one value").isNull();
      return shape;
    }
  }

  static long[] read(String json, TensorBuffer buffer, DataType type) throws IOException {
    return read(json, buffer, type, false);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String[] strings(TensorBuffer buffer, long[] shape) throws Exception {
    try (OnnxTensor t = buffer.toTensor(Ort.environment(), shape)) {
      Object v = t.getValue();
      if (v instanceof String s) return new String[] {s};
      if (v instanceof String[] a) return a;
      String[][] rows = (String[][]) v;
      return java.util.Arrays.stream(rows).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
  }

  @Test
  void bytesAcceptsStringsAndBase64Objects() throws Exception {
    TensorBuffer b = new TensorBuffer();
    long[] shape =
        read(
            "[[\"plain\", {\"b64\": \"" + b64("héllo") + "\"}], [{\"b64\": \"\"}, \"\"]]",
            b,
            DataType.BYTES);
    assertThat(shape).containsExactly(2, 2);
    assertThat(b.count()).isEqualTo(4);
    assertThat(strings(b, shape)).containsExactly("plain", "héllo", "", "");
  }

  @Test
  void bytesScalarBase64Object() throws Exception {
    TensorBuffer b = new TensorBuffer();
    long[] shape = read("{\"b64\": \"" + b64("one") + "\"}", b, DataType.BYTES);
    assertThat(shape).isEmpty();
    assertThat(strings(b, shape)).containsExactly("one");
  }

  @Test
  void invalidBase64IsRefused() {
    for (String garbage : new String[] {"!!!!", "a===", "aGVs bG8=", "aGVsbG8=x"}) {
      assertThatThrownBy(
              () -> read("[{\"b64\": \"" + garbage + "\"}]", new TensorBuffer(), DataType.BYTES))
          .as(garbage)
          .isInstanceOfSatisfying(
              SnapserveException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
          .hasMessageContaining("input 'x'")
          .hasMessageContaining("invalid base64");
    }
  }

  @Test
  void base64ThatIsNotUtf8IsRefused() {
    String raw = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
    assertThatThrownBy(
            () -> read("[{\"b64\": \"" + raw + "\"}]", new TensorBuffer(), DataType.BYTES))
        .isInstanceOf(SnapserveException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void objectsThatAreNotBase64AreRefused() {
    for (String bad :
        new String[] {
          "[{}]", "[{\"b64\": 5}]", "[{\"text\": \"a\"}]", "[{\"b64\": \"YQ==\", \"x\": 1}]"
        }) {
      assertThatThrownBy(() -> read(bad, new TensorBuffer(), DataType.BYTES))
          .as(bad)
          .isInstanceOf(SnapserveException.class)
          .hasMessageContaining("{\"b64\"");
    }
    assertThatThrownBy(() -> read("[1]", new TensorBuffer(), DataType.BYTES))
        .hasMessageContaining("a number where a string or {\"b64\": ...} is expected");
  }

  @Test
  void bytesRaggedness() {
    assertThatThrownBy(() -> read("[[\"a\"], \"b\"]", new TensorBuffer(), DataType.BYTES))
        .hasMessageContaining("ragged");
  }

  @Test
  void integerRangesPerType() throws IOException {
    TensorBuffer b = new TensorBuffer();
    assertThat(read("[-128, 127]", b, DataType.INT8)).containsExactly(2);
    assertThat(read("[0, 255]", b, DataType.UINT8)).containsExactly(2);
    assertThat(read("[-2147483648, 2147483647]", b, DataType.INT32)).containsExactly(2);
    assertThat(read("[-9223372036854775808, 9223372036854775807]", b, DataType.INT64))
        .containsExactly(2);
    for (Object[] c :
        new Object[][] {
          {"[128]", DataType.INT8},
          {"[-129]", DataType.INT8},
          {"[256]", DataType.UINT8},
          {"[-1]", DataType.UINT8},
          {"[2147483648]", DataType.INT32},
          {"[9223372036854775808]", DataType.INT64}
        }) {
      assertThatThrownBy(() -> read((String) c[0], new TensorBuffer(), (DataType) c[1]))
          .as("%s as %s", c[0], c[1])
          .isInstanceOf(SnapserveException.class)
          .hasMessageContaining("out of range for " + c[1]);
    }
  }

  @Test
  void boolAcceptsOnlyBooleans() throws IOException {
    TensorBuffer b = new TensorBuffer();
    assertThat(read("[[true, false]]", b, DataType.BOOL)).containsExactly(1, 2);
    assertThatThrownBy(() -> read("[1]", new TensorBuffer(), DataType.BOOL))
        .hasMessageContaining("true or false");
  }

  @Test
  void nonFinitePolicy() throws IOException {
    assertThatThrownBy(() -> read("[NaN]", new TensorBuffer(), DataType.FP64))
        .hasMessageContaining("non-finite");
    TensorBuffer b = new TensorBuffer();
    assertThat(read("[NaN, Infinity, -Infinity, 1e308]", b, DataType.FP64, true))
        .containsExactly(4);
    assertThat(read("[NaN, 1e39]", b, DataType.FP32, true)).containsExactly(2);
  }

  @Test
  void shapesAreInferredFromNesting() throws IOException {
    TensorBuffer b = new TensorBuffer();
    assertThat(read("5", b, DataType.FP32)).isEmpty();
    assertThat(read("[]", b, DataType.FP32)).containsExactly(0);
    assertThat(read("[[], []]", b, DataType.FP32)).containsExactly(2, 0);
    assertThat(read("[[[1,2,3]],[[4,5,6]]]", b, DataType.FP32)).containsExactly(2, 1, 3);
    assertThat(b.count()).isEqualTo(6);
    for (String ragged :
        new String[] {"[[1,2],[3]]", "[[1],2]", "[1,[2]]", "[[], [1]]", "[[1], []]"}) {
      assertThatThrownBy(() -> read(ragged, new TensorBuffer(), DataType.FP32))
          .as(ragged)
          .hasMessageContaining("ragged");
    }
  }

  @Test
  void bufferGrowsAndResetsForReuse() throws IOException {
    TensorBuffer b = new TensorBuffer();
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 5000; i++) big.append(i == 0 ? "" : ",").append(i);
    big.append(']');
    assertThat(read(big.toString(), b, DataType.FP64)).containsExactly(5000);
    assertThat(b.count()).isEqualTo(5000);
    assertThat(read("[1, 2]", b, DataType.INT64)).containsExactly(2);
    assertThat(b.count()).isEqualTo(2);
    assertThat(b.type()).isEqualTo(DataType.INT64);
  }
}
