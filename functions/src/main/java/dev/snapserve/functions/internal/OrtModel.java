package dev.snapserve.functions.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.Signature;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One loaded model: its manifest and a single ONNX Runtime session, shared by all requests ({@link
 * OrtSession#run} is thread-safe).
 */
public final class OrtModel implements AutoCloseable {
  private final Manifest manifest;
  private final OrtSession session;

  /** Per input, its symbolic dimension names ("" where static or unnamed). */
  private final Map<String, String[]> dimNames = new HashMap<>();

  private OrtModel(Manifest manifest, OrtSession session) throws OrtException {
    this.manifest = manifest;
    this.session = session;
    for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t) {
        dimNames.put(e.getKey(), t.getDimensionNames());
      }
    }
  }

  /** Opens a session for a verified bundle and checks the manifest against the model itself. */
  public static OrtModel open(ModelBundle bundle, SnapserveConfig config) {
    OrtSession session = openSession(bundle.modelFile().toString(), config);
    try {
      Signature actual = signatureOf(session);
      checkAgrees(bundle, actual);
      return new OrtModel(bundle.manifest(), session);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof SnapserveException se) throw se;
      throw new SnapserveException(
          ErrorCode.MODEL_LOAD,
          "cannot inspect model " + bundle.modelFile() + ": " + e.getMessage());
    }
  }

  /** Reads the signature ONNX Runtime sees in a model file (to derive a manifest). */
  public static Signature inspect(String modelFile, SnapserveConfig config) {
    OrtSession session = openSession(modelFile, config);
    try {
      return signatureOf(session);
    } catch (OrtException e) {
      throw new SnapserveException(
          ErrorCode.MODEL_LOAD, "cannot inspect model " + modelFile + ": " + e.getMessage());
    } finally {
      closeQuietly(session);
    }
  }

  public Manifest manifest() {
    return manifest;
  }

  public String name() {
    return manifest.name();
  }

  public String version() {
    return manifest.version();
  }

  public Signature signature() {
    return manifest.signature();
  }

  /** Symbolic dimension names of an input, as in the ONNX graph. */
  String[] dimensionNames(String input) {
    return dimNames.getOrDefault(input, new String[0]);
  }

  /** Runs the model; the caller closes the result. */
  OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs) throws OrtException {
    return outputs.isEmpty() ? session.run(inputs) : session.run(inputs, outputs);
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static OrtSession openSession(String modelFile, SnapserveConfig config) {
    OrtEnvironment env = Ort.environment(); // before SessionOptions, which would load the library
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(config.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(optLevel(config.graphOptimization()));
      return env.createSession(modelFile, options);
    } catch (OrtException e) {
      throw new SnapserveException(
          ErrorCode.MODEL_LOAD,
          "ONNX Runtime cannot load "
              + modelFile
              + " (corrupt or unsupported model): "
              + firstLine(e));
    }
  }

  private static OrtSession.SessionOptions.OptLevel optLevel(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
      case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
      case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
      case "all" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      default ->
          throw new IllegalArgumentException(
              "graph optimization must be none, basic, extended or all, got '" + name + "'");
    };
  }

  private static Signature signatureOf(OrtSession session) throws OrtException {
    return new Signature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : new LinkedHashMap<>(infos).values()) {
      if (!(node.getInfo() instanceof TensorInfo t)) {
        throw new SnapserveException(
            ErrorCode.MODEL_LOAD,
            "model value '" + node.getName() + "' is not a tensor (" + node.getInfo() + ")");
      }
      List<Long> shape = Arrays.stream(t.getShape()).map(d -> d < 0 ? -1 : d).boxed().toList();
      specs.add(new TensorSpec(node.getName(), dataType(node.getName(), t), shape));
    }
    return specs;
  }

  private static DataType dataType(String name, TensorInfo t) {
    if (t.type == OnnxJavaType.STRING) return DataType.BYTES;
    return switch (t.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
      default ->
          throw new SnapserveException(
              ErrorCode.MODEL_LOAD,
              "model value '" + name + "' has element type " + t.onnxType + ", not supported yet");
    };
  }

  /** The manifest must describe the model it ships with: same names, datatypes and shapes. */
  private static void checkAgrees(ModelBundle bundle, Signature actual) {
    Signature declared = bundle.manifest().signature();
    if (!sameSpecs(declared.inputs(), actual.inputs())
        || !sameSpecs(declared.outputs(), actual.outputs())) {
      throw new SnapserveException(
          ErrorCode.MODEL_LOAD,
          bundle.directory()
              + "/manifest.json signature does not match the model: manifest says "
              + declared
              + " but the model has "
              + actual);
    }
  }

  private static boolean sameSpecs(List<TensorSpec> declared, List<TensorSpec> actual) {
    return new HashSet<>(declared).equals(new HashSet<>(actual));
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // closing a session we are abandoning; nothing useful to report
    }
  }

  /** Source locations ("/onnxruntime_src/.../gather.cc:123 Foo::Bar") say nothing to a caller. */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\S+\\.(?:cc|cpp|h):\\d+(?:\\s+[\\w:<>,*&~ ]*::[\\w~]+\\([^)]*\\))?\\s*");

  /** ONNX Runtime's message, first line only and without native source locations. */
  public static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return SOURCE_LOCATION.matcher(nl < 0 ? m : m.substring(0, nl)).replaceAll("").strip();
  }
}
