package dev.snapserve.packager;

import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.internal.ManifestReader;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.AttributeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.OperatorSetIdProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.StringStringEntryProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorShapeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TypeProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Describes an ONNX model or a bundle directory without running it: the graph is read with the
 * protobuf classes of the official onnx.proto, so models ONNX Runtime cannot load can still be
 * inspected.
 */
public final class Inspector {
  private static final Set<String> STANDARD_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml");

  private Inspector() {}

  /**
   * Inspects an .onnx file, or a bundle directory ({@code manifest.json} + model). A bundle whose
   * model does not match its manifest is reported ({@link ModelReport.Integrity#ok()} false), not
   * refused.
   */
  public static ModelReport inspect(Path modelOrBundle) {
    if (Files.isDirectory(modelOrBundle)) return inspectBundle(modelOrBundle);
    if (!Files.exists(modelOrBundle)) {
      throw new PackagerException(
          modelOrBundle + " does not exist (expected an .onnx file or a bundle directory)");
    }
    return describe(modelOrBundle, modelOrBundle, null);
  }

  /**
   * The ONNX file a command argument stands for: the file itself, or the model a bundle directory's
   * manifest names.
   */
  static Path modelFile(Path modelOrBundle) {
    if (!Files.isDirectory(modelOrBundle)) return modelOrBundle;
    return bundleModel(modelOrBundle, readManifest(modelOrBundle));
  }

  private static Manifest readManifest(Path dir) {
    Path manifestPath = dir.resolve(ModelBundle.MANIFEST_FILE);
    try {
      return ManifestReader.read(Files.readAllBytes(manifestPath));
    } catch (NoSuchFileException e) {
      throw new PackagerException(
          dir + " is a directory without " + ModelBundle.MANIFEST_FILE + ": not a model bundle");
    } catch (IOException e) {
      throw new PackagerException(manifestPath + " is not a valid manifest: " + e.getMessage(), e);
    }
  }

  private static Path bundleModel(Path dir, Manifest manifest) {
    Path manifestPath = dir.resolve(ModelBundle.MANIFEST_FILE);
    if (manifest.model() == null || manifest.model().file() == null) {
      throw new PackagerException(manifestPath + " names no model file (model.file)");
    }
    String name = manifest.model().file();
    if (!ModelBundle.isPlainFileName(name)) {
      throw new PackagerException(
          manifestPath + ": model.file must be a plain file name, got '" + name + "'");
    }
    Path modelFile = dir.resolve(name);
    if (!Files.isRegularFile(modelFile)) {
      throw new PackagerException(
          "model file " + modelFile + " named by " + manifestPath + " is missing");
    }
    return modelFile;
  }

  private static ModelReport inspectBundle(Path dir) {
    Manifest manifest = readManifest(dir);
    Path modelFile = bundleModel(dir, manifest);
    ModelReport.Integrity integrity = integrity(manifest.model(), modelFile);
    try {
      return describe(dir, modelFile, new ModelReport.Bundle(dir, manifest, integrity));
    } catch (PackagerException e) {
      if (integrity.ok()) throw e;
      throw new PackagerException(
          e.getMessage()
              + " (and the bundle fails its integrity check: "
              + integrity.problem()
              + ")",
          e);
    }
  }

  private static ModelReport.Integrity integrity(Manifest.ModelFile expected, Path file) {
    Manifest.ModelFile actual;
    try {
      actual = ModelBundle.describe(file);
    } catch (IOException e) {
      throw new PackagerException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String problem = null;
    if (expected.sha256() == null) {
      problem = "the manifest has no model.sha256";
    } else if (expected.sizeBytes() > 0 && expected.sizeBytes() != actual.sizeBytes()) {
      problem =
          "size is " + actual.sizeBytes() + " bytes but the manifest says " + expected.sizeBytes();
    } else if (!expected.sha256().equalsIgnoreCase(actual.sha256())) {
      problem = "SHA-256 does not match the manifest: the model file was changed or corrupted";
    }
    return new ModelReport.Integrity(
        problem == null,
        expected.sha256(),
        actual.sha256(),
        expected.sizeBytes(),
        actual.sizeBytes(),
        problem);
  }

  private static ModelReport describe(Path source, Path file, ModelReport.Bundle bundle) {
    ModelProto model = OnnxFiles.read(file);
    GraphProto graph = model.getGraph();
    List<ValueInfoProto> inputs = OnnxFiles.requireInputs(model, file);

    Map<String, Long> opsets = new TreeMap<>();
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      opsets.put(o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain(), o.getVersion());
    }
    Map<String, Integer> counts = new HashMap<>();
    Set<String> customDomains = new TreeSet<>();
    for (String domain : opsets.keySet()) {
      if (!STANDARD_DOMAINS.contains(domain)) customDomains.add(domain);
    }
    int nodes = countOps(graph, counts, customDomains);

    long initBytes = 0;
    for (TensorProto t : graph.getInitializerList()) initBytes += dataBytes(t);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      metadata.put(e.getKey(), e.getValue());
    }
    return new ModelReport(
        source,
        file,
        AtomicFiles.size(file),
        model.getProducerName(),
        model.getProducerVersion(),
        model.getIrVersion(),
        model.getModelVersion(),
        graph.getName(),
        opsets,
        inputs.stream().map(Inspector::value).toList(),
        graph.getOutputList().stream().map(Inspector::value).toList(),
        graph.getInitializerCount(),
        initBytes,
        nodes,
        byFrequency(counts),
        customDomains,
        metadata,
        bundle);
  }

  /** Counts ops in a graph and its subgraphs; returns the number of nodes. */
  private static int countOps(GraphProto graph, Map<String, Integer> counts, Set<String> custom) {
    int nodes = 0;
    for (NodeProto node : graph.getNodeList()) {
      nodes++;
      String domain = node.getDomain();
      boolean standard = domain.isEmpty() || domain.equals("ai.onnx");
      counts.merge(standard ? node.getOpType() : domain + ":" + node.getOpType(), 1, Integer::sum);
      if (!STANDARD_DOMAINS.contains(domain)) custom.add(domain);
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) nodes += countOps(a.getG(), counts, custom);
        for (GraphProto g : a.getGraphsList()) nodes += countOps(g, counts, custom);
      }
    }
    return nodes;
  }

  private static Map<String, Integer> byFrequency(Map<String, Integer> counts) {
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static ModelReport.Value value(ValueInfoProto v) {
    TypeProto type = v.getType();
    if (type.hasTensorType()) {
      TypeProto.Tensor t = type.getTensorType();
      return new ModelReport.Value(
          v.getName(), elemType(t.getElemType()), t.hasShape() ? dims(t.getShape()) : null);
    }
    return new ModelReport.Value(v.getName(), typeName(type), null);
  }

  private static List<ModelReport.Dim> dims(TensorShapeProto shape) {
    List<ModelReport.Dim> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : shape.getDimList()) {
      if (d.hasDimValue()) dims.add(new ModelReport.Dim(d.getDimValue(), null));
      else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
        dims.add(new ModelReport.Dim(null, d.getDimParam()));
      } else dims.add(new ModelReport.Dim(null, null));
    }
    return dims;
  }

  private static String typeName(TypeProto type) {
    return switch (type.getValueCase()) {
      case TENSOR_TYPE -> elemType(type.getTensorType().getElemType());
      case SEQUENCE_TYPE -> "sequence<" + typeName(type.getSequenceType().getElemType()) + ">";
      case MAP_TYPE ->
          "map<"
              + elemType(type.getMapType().getKeyType())
              + ","
              + typeName(type.getMapType().getValueType())
              + ">";
      case OPTIONAL_TYPE -> "optional<" + typeName(type.getOptionalType().getElemType()) + ">";
      case SPARSE_TENSOR_TYPE ->
          "sparse<" + elemType(type.getSparseTensorType().getElemType()) + ">";
      case VALUE_NOT_SET -> "unknown";
    };
  }

  private static String elemType(int code) {
    TensorProto.DataType t = TensorProto.DataType.forNumber(code);
    return t == null ? "type " + code : t.name();
  }

  /** Bytes of a tensor's data: elements x element size, or the string lengths. */
  private static long dataBytes(TensorProto t) {
    if (t.getDataType() == TensorProto.DataType.STRING_VALUE) {
      long n = 0;
      for (var s : t.getStringDataList()) n += s.size();
      return n;
    }
    if (t.hasRawData()) return t.getRawData().size();
    long elements = 1;
    for (long d : t.getDimsList()) elements *= d;
    return elements * elementSize(t.getDataType());
  }

  private static int elementSize(int type) {
    TensorProto.DataType t = TensorProto.DataType.forNumber(type);
    if (t == null) return 0;
    return switch (t) {
      case UINT8, INT8, BOOL -> 1;
      case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
      case FLOAT, INT32, UINT32 -> 4;
      case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
      case COMPLEX128 -> 16;
      default -> 0;
    };
  }
}
