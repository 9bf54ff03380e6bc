package dev.snapserve.packager.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The inputs {@code verify} feeds both models: rows of a data file, or values synthesized from the
 * reference's input signature with a seed. Also turns output tensors into doubles for comparison.
 */
public final class VerifyTensors {
  /** Size given to dynamic dimensions other than the leading batch dimension. */
  private static final int DYNAMIC_DIM = 8;

  /** One model input as ONNX Runtime sees it. */
  private record Input(String name, TensorInfo info) {}

  private final List<Input> inputs;
  private final Map<String, JsonNode> rows;
  private final long seed;
  private final int count;
  private final String description;
  private final int[] labels;

  private VerifyTensors(
      List<Input> inputs,
      Map<String, JsonNode> rows,
      long seed,
      int count,
      String description,
      int[] labels) {
    this.inputs = inputs;
    this.rows = rows;
    this.seed = seed;
    this.count = count;
    this.description = description;
    this.labels = labels;
  }

  /** Rows of a JSON data file: {@code {"inputs": {NAME: [row, ...]}, "labels": [...]}}. */
  public static VerifyTensors fromData(Path file, Map<String, NodeInfo> info, Integer samples) {
    JsonNode doc = readJson(file);
    JsonNode in = doc.get("inputs");
    // models/testdata/*-heldout.json share the rows of digits-heldout.json by naming it
    if (in != null && in.isTextual())
      in = readJson(resolveSibling(file, in.asText())).get("inputs");
    if (in == null || !in.isObject()) {
      throw new PackagerException(file + " has no \"inputs\" object of NAME: [rows...]");
    }
    List<Input> inputs = inputsOf(info);
    Map<String, JsonNode> rows = new HashMap<>();
    int available = Integer.MAX_VALUE;
    for (Input i : inputs) {
      JsonNode r = in.get(i.name);
      if (r == null || !r.isArray() || r.isEmpty()) {
        List<String> names = new ArrayList<>();
        in.fieldNames().forEachRemaining(names::add);
        throw new PackagerException(
            file + " has no rows for model input '" + i.name + "' (it has " + names + ")");
      }
      rows.put(i.name, r);
      available = Math.min(available, r.size());
    }
    int count = samples == null ? available : Math.min(samples, available);
    int[] labels = null;
    JsonNode l = doc.get("labels");
    if (l != null && l.isArray() && l.size() >= count) {
      labels = new int[count];
      for (int k = 0; k < count; k++) labels[k] = l.get(k).asInt();
    }
    return new VerifyTensors(inputs, rows, 0, count, file.toString(), labels);
  }

  /** Values drawn from a seeded generator, shaped by the signature. */
  public static VerifyTensors synthesized(Map<String, NodeInfo> info, int samples, long seed) {
    return new VerifyTensors(
        inputsOf(info), null, seed, samples, "synthesized (seed " + seed + ")", null);
  }

  public int count() {
    return count;
  }

  public String description() {
    return description;
  }

  /** True class per sample, when the data file has labels; else null. */
  public int[] labels() {
    return labels;
  }

  /** One sample's input tensors by name; closing it frees them. */
  public static final class Sample extends LinkedHashMap<String, OnnxTensor>
      implements AutoCloseable {
    @Override
    public void close() {
      values().forEach(OnnxTensor::close);
    }
  }

  /** The tensors of sample {@code i}; the caller closes them. */
  public Sample sample(int i) {
    Sample tensors = new Sample();
    try {
      for (Input in : inputs) {
        Flat flat = rows == null ? synthesize(in, i) : fromRow(in, rows.get(in.name).get(i));
        tensors.put(in.name, tensor(in, flat));
      }
      return tensors;
    } catch (OrtException | RuntimeException e) {
      tensors.close();
      if (e instanceof PackagerException pe) throw pe;
      throw new PackagerException("cannot build input tensors: " + e.getMessage(), e);
    }
  }

  /** An output tensor as doubles (NaN-preserving), or null for values that are not numeric. */
  public static double[] doubles(OnnxTensor t) {
    TensorInfo info = t.getInfo();
    int n = (int) info.getNumElements();
    double[] out = new double[n];
    switch (info.type) {
      case FLOAT, FLOAT16, BFLOAT16 -> {
        FloatBuffer b = t.getFloatBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k);
      }
      case DOUBLE -> t.getDoubleBuffer().get(out);
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k);
      }
      case INT32 -> {
        IntBuffer b = t.getIntBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k);
      }
      case INT16 -> {
        ShortBuffer b = t.getShortBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k);
      }
      case INT8, BOOL -> {
        ByteBuffer b = t.getByteBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k);
      }
      case UINT8 -> {
        ByteBuffer b = t.getByteBuffer();
        for (int k = 0; k < n; k++) out[k] = b.get(k) & 0xff;
      }
      default -> {
        return null;
      }
    }
    return out;
  }

  private static List<Input> inputsOf(Map<String, NodeInfo> info) {
    List<Input> inputs = new ArrayList<>();
    for (NodeInfo n : info.values()) {
      if (!(n.getInfo() instanceof TensorInfo t)) {
        throw new PackagerException(
            "model input '" + n.getName() + "' is not a tensor; verify feeds tensors only");
      }
      inputs.add(new Input(n.getName(), t));
    }
    return inputs;
  }

  /** Values in row-major order and their shape. */
  private record Flat(double[] values, long[] shape) {}

  private Flat synthesize(Input in, int sample) {
    long[] modelShape = in.info.getShape();
    long[] shape = new long[modelShape.length];
    for (int d = 0; d < shape.length; d++) {
      if (modelShape[d] >= 0) shape[d] = modelShape[d];
      else shape[d] = d == 0 ? 1 : DYNAMIC_DIM; // batch 1; other dynamic dims a small size
    }
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    Random random = new Random(seed * 1_000_003L + sample * 31L + in.name.hashCode());
    double[] values = new double[n];
    boolean integral =
        in.info.type != OnnxJavaType.FLOAT
            && in.info.type != OnnxJavaType.DOUBLE
            && in.info.type != OnnxJavaType.FLOAT16
            && in.info.type != OnnxJavaType.BFLOAT16;
    for (int k = 0; k < n; k++) {
      // small non-negative integers are valid token ids, masks and indices for most models
      values[k] =
          in.info.type == OnnxJavaType.BOOL
              ? random.nextInt(2)
              : integral ? random.nextInt(10) : random.nextGaussian();
    }
    return new Flat(values, shape);
  }

  private Flat fromRow(Input in, JsonNode row) {
    List<Long> rowShape = new ArrayList<>();
    for (JsonNode n = row; n.isArray(); n = n.get(0)) {
      if (n.isEmpty()) break;
      rowShape.add((long) n.size());
    }
    int n = Math.toIntExact(rowShape.stream().reduce(1L, Math::multiplyExact));
    double[] values = new double[n];
    int[] at = {0};
    flatten(in.name, row, 0, rowShape, values, at);
    long[] modelShape = in.info.getShape();
    long[] shape;
    if (modelShape.length == rowShape.size() + 1) {
      shape = new long[modelShape.length];
      shape[0] = 1; // one row is a batch of one
      for (int d = 0; d < rowShape.size(); d++) shape[d + 1] = rowShape.get(d);
    } else if (modelShape.length == rowShape.size()) {
      shape = rowShape.stream().mapToLong(Long::longValue).toArray();
    } else {
      throw new PackagerException(
          "data rows for input '"
              + in.name
              + "' have shape "
              + rowShape
              + " but the model expects "
              + Arrays.toString(modelShape));
    }
    for (int d = 0; d < shape.length; d++) {
      if (modelShape[d] >= 0 && modelShape[d] != shape[d]) {
        throw new PackagerException(
            "data rows for input '"
                + in.name
                + "' give shape "
                + Arrays.toString(shape)
                + " but the model expects "
                + Arrays.toString(modelShape));
      }
    }
    return new Flat(values, shape);
  }

  private static void flatten(
      String name, JsonNode node, int depth, List<Long> shape, double[] out, int[] at) {
    if (depth == shape.size()) {
      if (!node.isNumber() && !node.isBoolean()) {
        throw new PackagerException(
            "data for input '" + name + "' has a non-numeric or ragged value: " + node);
      }
      out[at[0]++] = node.isBoolean() ? (node.asBoolean() ? 1 : 0) : node.asDouble();
      return;
    }
    if (!node.isArray() || node.size() != shape.get(depth)) {
      throw new PackagerException(
          "data for input '"
              + name
              + "' is ragged: expected "
              + shape.get(depth)
              + " values at depth "
              + depth);
    }
    for (JsonNode child : node) flatten(name, child, depth + 1, shape, out, at);
  }

  private static OnnxTensor tensor(Input in, Flat f) throws OrtException {
    double[] v = f.values;
    int n = v.length;
    return switch (in.info.type) {
      case FLOAT -> {
        FloatBuffer b = FloatBuffer.allocate(n);
        for (double d : v) b.put((float) d);
        yield OnnxTensor.createTensor(Ort.environment(), b.flip(), f.shape);
      }
      case DOUBLE -> OnnxTensor.createTensor(Ort.environment(), DoubleBuffer.wrap(v), f.shape);
      case INT64 -> {
        LongBuffer b = LongBuffer.allocate(n);
        for (double d : v) b.put((long) d);
        yield OnnxTensor.createTensor(Ort.environment(), b.flip(), f.shape);
      }
      case INT32 -> {
        IntBuffer b = IntBuffer.allocate(n);
        for (double d : v) b.put((int) d);
        yield OnnxTensor.createTensor(Ort.environment(), b.flip(), f.shape);
      }
      case FLOAT16 -> {
        ShortBuffer b = ShortBuffer.allocate(n);
        for (double d : v) b.put(Float.floatToFloat16((float) d));
        yield OnnxTensor.createTensor(Ort.environment(), b.flip(), f.shape, OnnxJavaType.FLOAT16);
      }
      case INT8, UINT8, BOOL -> {
        ByteBuffer b = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
        for (double d : v) b.put((byte) d);
        yield OnnxTensor.createTensor(Ort.environment(), b.flip(), f.shape, in.info.type);
      }
      default ->
          throw new PackagerException(
              "model input '"
                  + in.name
                  + "' has type "
                  + in.info.type
                  + ", which verify cannot feed");
    };
  }

  private static Path resolveSibling(Path file, String name) {
    Path dir = file.toAbsolutePath().getParent();
    return dir.resolve(name).normalize();
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file))
      throw new PackagerException("data file " + file + " does not exist");
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new PackagerException("data file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
