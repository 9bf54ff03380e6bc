package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.Signature;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.TensorSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes TF Serving REST and Open Inference Protocol v2 predict bodies into a {@link PredictCall}
 * for one model, streaming numbers into pooled buffers, then validates the call against the
 * signature. Every problem is an {@link SnapserveException} naming the input and the rule.
 */
final class PredictDecoder {
  private final JsonFactory json;
  private final OrtModel model;
  private final List<TensorSpec> inputs;
  private final TensorReader reader;
  private final int maxBatchSize;

  PredictDecoder(JsonFactory json, OrtModel model, boolean allowNonFinite, int maxBatchSize) {
    this.json = json;
    this.model = model;
    this.inputs = model.signature().inputs();
    this.reader = new TensorReader(allowNonFinite);
    this.maxBatchSize = maxBatchSize;
  }

  /**
   * Which protocol a body speaks, for routes that accept both: OIP's "inputs" is a list of objects
   * with a "name"; TF Serving's is a tensor or an object keyed by input name.
   */
  static Protocol sniff(JsonFactory json, byte[] body) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return Protocol.TF_ROW;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("instances".equals(field)) return Protocol.TF_ROW;
        if ("inputs".equals(field)) {
          if (v != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT) {
            return Protocol.TF_COLUMNAR;
          }
          boolean b64 = p.nextToken() == JsonToken.FIELD_NAME && "b64".equals(p.currentName());
          return b64 ? Protocol.TF_COLUMNAR : Protocol.OIP;
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // malformed: let the real decoder report it with its position
    }
    return Protocol.TF_ROW;
  }

  PredictCall decode(byte[] body, Protocol protocol, TensorBuffer[] buffers) {
    PredictCall call = new PredictCall(buffers);
    call.protocol = protocol;
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw SnapserveException.invalid("request body must be a JSON object");
      }
      if (protocol == Protocol.OIP) decodeOip(p, body, call);
      else decodeTfServing(p, call);
      if (p.nextToken() != null) {
        throw SnapserveException.invalid("unexpected content after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw SnapserveException.invalid("malformed JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw SnapserveException.invalid("cannot read request body: " + e.getMessage());
    }
    validate(call);
    return call;
  }

  // ---- TF Serving REST -------------------------------------------------------------------

  private void decodeTfServing(JsonParser p, PredictCall call) throws IOException {
    boolean seen = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "signature_name" -> {
          String name = v == JsonToken.VALUE_STRING ? p.getText() : String.valueOf(v);
          if (!"serving_default".equals(name)) {
            throw SnapserveException.invalid(
                "unknown signature_name '" + name + "' (this model has 'serving_default')");
          }
        }
        case "instances", "inputs" -> {
          if (seen)
            throw SnapserveException.invalid("send either \"instances\" or \"inputs\", not both");
          seen = true;
          if (field.equals("instances")) {
            call.protocol = Protocol.TF_ROW;
            decodeInstances(p, call);
          } else {
            call.protocol = Protocol.TF_COLUMNAR;
            decodeColumnar(p, call);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (!seen) {
      throw SnapserveException.invalid(
          "request has neither \"instances\" (row format) nor \"inputs\" (columnar format)");
    }
  }

  private void decodeInstances(JsonParser p, PredictCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw SnapserveException.invalid("\"instances\" must be a list, one entry per example");
    }
    resetBuffers(call);
    long[][] instanceShapes = new long[inputs.size()][];
    long n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (++n > maxBatchSize) throw batchTooLarge(n);
      if (t == JsonToken.START_OBJECT) {
        JsonToken f = p.nextToken();
        if (f == JsonToken.FIELD_NAME && isBase64Value(p.currentName())) {
          // {"b64": ...}: the value of a single string input, not an instance keyed by name
          long[] shape = reader.readBase64Object(p, call.buffers[0], inputs.get(0).name());
          instanceShapes[0] = sameShape(instanceShapes[0], shape, 0, n);
          continue;
        }
        // an instance keyed by input name
        boolean[] present = new boolean[inputs.size()];
        for (; f == JsonToken.FIELD_NAME; f = p.nextToken()) {
          int i = inputIndex(p.currentName());
          if (present[i]) {
            throw SnapserveException.invalid(
                "input '" + inputs.get(i).name() + "' is given twice in instance " + (n - 1));
          }
          p.nextToken();
          present[i] = true;
          instanceShapes[i] = sameShape(instanceShapes[i], readInto(p, call, i), i, n);
        }
        for (int i = 0; i < present.length; i++) {
          if (!present[i]) {
            throw SnapserveException.invalid(
                "instance " + (n - 1) + " lacks input '" + inputs.get(i).name() + "'");
          }
        }
      } else {
        if (inputs.size() != 1) {
          throw SnapserveException.invalid(
              "this model has "
                  + inputs.size()
                  + " inputs "
                  + inputNames()
                  + ": send each instance as an object keyed by input name");
        }
        instanceShapes[0] = sameShape(instanceShapes[0], readInto(p, call, 0), 0, n);
      }
    }
    if (n == 0) throw SnapserveException.invalid("\"instances\" is empty");
    for (int i = 0; i < inputs.size(); i++) {
      long[] s = new long[instanceShapes[i].length + 1];
      s[0] = n;
      System.arraycopy(instanceShapes[i], 0, s, 1, instanceShapes[i].length);
      call.shapes[i] = s;
    }
  }

  private void decodeColumnar(JsonParser p, PredictCall call) throws IOException {
    resetBuffers(call);
    if (p.currentToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int i = inputIndex(p.currentName());
        p.nextToken();
        if (call.shapes[i] != null) throw duplicate(i);
        call.shapes[i] = readInto(p, call, i);
      }
    } else {
      if (inputs.size() != 1) {
        throw SnapserveException.invalid(
            "this model has "
                + inputs.size()
                + " inputs "
                + inputNames()
                + ": send \"inputs\" as an object keyed by input name");
      }
      call.shapes[0] = readInto(p, call, 0);
    }
  }

  // ---- Open Inference Protocol v2 ----------------------------------------------------------

  private void decodeOip(JsonParser p, byte[] body, PredictCall call) throws IOException {
    resetBuffers(call);
    boolean seen = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "id" -> call.id = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "inputs" -> {
          if (v != JsonToken.START_ARRAY) {
            throw SnapserveException.invalid("\"inputs\" must be a list of tensors");
          }
          seen = true;
          while (p.nextToken() == JsonToken.START_OBJECT) oipInput(p, body, call);
          if (p.currentToken() != JsonToken.END_ARRAY) {
            throw SnapserveException.invalid("\"inputs\" entries must be objects");
          }
        }
        case "outputs" -> oipOutputs(p, call);
        default -> p.skipChildren(); // "parameters" and extensions
      }
    }
    if (!seen) throw SnapserveException.invalid("request has no \"inputs\"");
  }

  private void oipInput(JsonParser p, byte[] body, PredictCall call) throws IOException {
    String name = null;
    DataType datatype = null;
    long[] shape = null;
    long dataOffset = -1;
    int index = -1;
    long[] dataShape = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = p.getValueAsString();
        case "datatype" -> datatype = DataType.parse(p.getValueAsString());
        case "shape" -> shape = readShape(p, name);
        case "data" -> {
          if (name != null && datatype != null) {
            index = oipIndex(name, datatype, call);
            dataShape = readInto(p, call, index);
          } else {
            // fields arrived out of order: come back once name and datatype are known
            dataOffset = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (name == null || datatype == null || shape == null) {
      throw SnapserveException.invalid("each of \"inputs\" needs name, shape, datatype and data");
    }
    if (dataShape == null) {
      if (dataOffset < 0) throw SnapserveException.invalid("input '" + name + "' has no data");
      index = oipIndex(name, datatype, call);
      try (JsonParser later =
          json.createParser(body, (int) dataOffset, body.length - (int) dataOffset)) {
        later.nextToken();
        dataShape = readInto(later, call, index);
      }
    }
    long declared;
    try {
      declared = exactElements(shape);
    } catch (ArithmeticException e) {
      // else the product wraps around, can match the data, and reaches ONNX Runtime unchecked
      throw SnapserveException.invalid(
          "input '" + name + "' has shape " + Arrays.toString(shape) + ", too many elements");
    }
    if (declared != call.buffers[index].count()) {
      throw SnapserveException.invalid(
          "input '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + declared
              + " elements) but "
              + call.buffers[index].count()
              + " data elements");
    }
    call.shapes[index] = shape;
  }

  private int oipIndex(String name, DataType datatype, PredictCall call) {
    int i = inputIndex(name);
    if (call.shapes[i] != null || call.buffers[i].count() > 0) throw duplicate(i);
    DataType expected = inputs.get(i).datatype();
    if (datatype != expected) {
      throw SnapserveException.invalid(
          "input '" + name + "' has datatype " + datatype + " but the model expects " + expected);
    }
    return i;
  }

  private void oipOutputs(JsonParser p, PredictCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw SnapserveException.invalid("\"outputs\" must be a list of {\"name\": ...}");
    }
    Signature sig = model.signature();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("name".equals(field)) {
          String out = p.getValueAsString();
          if (sig.output(out).isEmpty()) {
            throw SnapserveException.invalid(
                "unknown output '"
                    + out
                    + "'; this model has "
                    + sig.outputs().stream().map(TensorSpec::name).toList());
          }
          call.requestedOutputs.add(out);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  private static long[] readShape(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw SnapserveException.invalid("input '" + name + "' shape must be a list of integers");
    }
    long[] dims = new long[8];
    int n = 0;
    while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
      if (n == dims.length) dims = Arrays.copyOf(dims, n * 2);
      long d = p.getLongValue();
      if (d < 0) throw SnapserveException.invalid("input '" + name + "' shape has a negative dim");
      dims[n++] = d;
    }
    if (p.currentToken() != JsonToken.END_ARRAY) {
      throw SnapserveException.invalid("input '" + name + "' shape must be a list of integers");
    }
    return Arrays.copyOf(dims, n);
  }

  // ---- shared -----------------------------------------------------------------------------

  private long[] readInto(JsonParser p, PredictCall call, int i) throws IOException {
    return reader.read(p, call.buffers[i], inputs.get(i).name());
  }

  private void resetBuffers(PredictCall call) {
    for (int i = 0; i < inputs.size(); i++) call.buffers[i].reset(inputs.get(i).datatype());
  }

  private long[] sameShape(long[] expected, long[] actual, int input, long instance) {
    if (expected == null || Arrays.equals(expected, actual)) return actual;
    throw SnapserveException.invalid(
        "input '"
            + inputs.get(input).name()
            + "' has shape "
            + Arrays.toString(actual)
            + " in instance "
            + (instance - 1)
            + " but "
            + Arrays.toString(expected)
            + " in instance 0");
  }

  private int inputIndex(String name) {
    for (int i = 0; i < inputs.size(); i++) if (inputs.get(i).name().equals(name)) return i;
    throw SnapserveException.invalid(
        "unknown input '" + name + "'; this model's inputs are " + inputNames());
  }

  /** Whether an instance object starting with this field is a {"b64": ...} string value. */
  private boolean isBase64Value(String firstField) {
    return "b64".equals(firstField)
        && inputs.size() == 1
        && inputs.get(0).datatype() == DataType.BYTES
        && !inputs.get(0).name().equals("b64");
  }

  private List<String> inputNames() {
    return inputs.stream().map(TensorSpec::name).toList();
  }

  private SnapserveException duplicate(int i) {
    return SnapserveException.invalid("input '" + inputs.get(i).name() + "' is given twice");
  }

  private SnapserveException batchTooLarge(long n) {
    return SnapserveException.invalid(
        "batch size "
            + n
            + " exceeds the limit of "
            + maxBatchSize
            + " (SNAPSERVE_MAX_BATCH_SIZE)");
  }

  /** Checks every input against the signature: presence, rank, static dims, batch agreement. */
  private void validate(PredictCall call) {
    long batch = -1;
    String batchInput = null;
    for (int i = 0; i < inputs.size(); i++) {
      TensorSpec spec = inputs.get(i);
      long[] shape = call.shapes[i];
      if (shape == null) {
        throw SnapserveException.invalid(
            "missing input '" + spec.name() + "'; this model's inputs are " + inputNames());
      }
      if (shape.length != spec.rank()) {
        throw SnapserveException.invalid(
            "input '"
                + spec.name()
                + "' has rank "
                + shape.length
                + " (shape "
                + Arrays.toString(shape)
                + ") but the model expects rank "
                + spec.rank()
                + " "
                + spec.shape());
      }
      for (int d = 0; d < shape.length; d++) {
        long want = spec.shape().get(d);
        if (want >= 0 && want != shape[d]) {
          throw SnapserveException.invalid(
              "input '"
                  + spec.name()
                  + "' has shape "
                  + Arrays.toString(shape)
                  + " but the model expects "
                  + spec.shape()
                  + " (dimension "
                  + d
                  + " must be "
                  + want
                  + ")");
        }
      }
      if (spec.batched()) {
        if (shape[0] > maxBatchSize) throw batchTooLarge(shape[0]);
        if (shape[0] == 0) throw SnapserveException.invalid("input '" + spec.name() + "' is empty");
        if (batch < 0) {
          batch = shape[0];
          batchInput = spec.name();
        } else if (batch != shape[0]) {
          throw SnapserveException.invalid(
              "batch sizes differ: input '"
                  + batchInput
                  + "' has "
                  + batch
                  + " but '"
                  + spec.name()
                  + "' has "
                  + shape[0]);
        }
      }
    }
    checkSymbolicDims(call);
  }

  /** Inputs that share a named dynamic dimension (e.g. "sequence") must agree on its size. */
  private void checkSymbolicDims(PredictCall call) {
    for (int i = 0; i < inputs.size(); i++) {
      String[] names = model.dimensionNames(inputs.get(i).name());
      for (int j = i + 1; j < inputs.size(); j++) {
        String[] other = model.dimensionNames(inputs.get(j).name());
        for (int a = 0; a < names.length && a < call.shapes[i].length; a++) {
          for (int b = 0; b < other.length && b < call.shapes[j].length; b++) {
            if (!names[a].isEmpty()
                && names[a].equals(other[b])
                && call.shapes[i][a] != call.shapes[j][b]) {
              throw SnapserveException.invalid(
                  "inputs '"
                      + inputs.get(i).name()
                      + "' and '"
                      + inputs.get(j).name()
                      + "' must agree on dimension '"
                      + names[a]
                      + "' ("
                      + call.shapes[i][a]
                      + " vs "
                      + call.shapes[j][b]
                      + ")");
            }
          }
        }
      }
    }
  }

  /** Element count of a caller-declared shape; throws ArithmeticException on overflow. */
  static long exactElements(long[] shape) {
    long n = 1;
    for (long d : shape) n = Math.multiplyExact(n, d);
    return n;
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  private static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
