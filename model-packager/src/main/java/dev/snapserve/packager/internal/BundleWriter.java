package dev.snapserve.packager.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.Signature;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.internal.OrtModel;
import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a bundle's {@code manifest.json} next to its model: SHA-256 and size of the model file,
 * the signature ONNX Runtime reads from it, labels, provenance and the optimizations applied.
 */
public final class BundleWriter {
  /** Sorted map keys: provenance is an unordered map, the bytes must not depend on hashing. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private BundleWriter() {}

  /**
   * Describes {@code bundleDir/modelFile} in a new {@code manifest.json}, then loads the bundle the
   * way the adapters will (integrity check included) to prove they accept it.
   */
  public static Manifest write(
      Path bundleDir,
      String modelFile,
      String name,
      String version,
      List<String> labels,
      Map<String, String> provenance,
      List<Manifest.Optimization> optimizations)
      throws IOException {
    Path model = bundleDir.resolve(modelFile);
    Signature signature;
    try {
      signature = OrtModel.inspect(model.toString(), SnapserveConfig.defaults());
    } catch (SnapserveException e) {
      throw new PackagerException(e.getMessage(), e);
    }
    Manifest manifest =
        new Manifest(
            Manifest.SCHEMA_VERSION,
            name,
            version,
            "onnx",
            ModelBundle.describe(model),
            signature,
            labels.isEmpty() ? null : labels,
            provenance,
            optimizations);
    Files.write(
        bundleDir.resolve(ModelBundle.MANIFEST_FILE),
        (JSON.writeValueAsString(manifest) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try {
      return ModelBundle.load(bundleDir).manifest();
    } catch (SnapserveException e) {
      throw new PackagerException("the bundle written is not loadable: " + e.getMessage(), e);
    }
  }
}
