package dev.snapserve.functions;

import dev.snapserve.functions.internal.ManifestReader;
import dev.snapserve.functions.internal.OrtModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

/**
 * A model bundle on disk: a directory with {@code manifest.json} and the model file it names.
 * {@link #load} verifies size and SHA-256 before anything runs the model.
 */
public record ModelBundle(Path directory, Manifest manifest) {
  public static final String MANIFEST_FILE = "manifest.json";

  /** The model file's path. */
  public Path modelFile() {
    return directory.resolve(manifest.model().file());
  }

  /** Reads and verifies a bundle; any problem is a {@link ErrorCode#MODEL_LOAD} error. */
  public static ModelBundle load(Path directory) {
    Path manifestPath = directory.resolve(MANIFEST_FILE);
    Manifest manifest;
    try {
      // streaming, not object mapping: keeps jackson-databind out of the cold start
      manifest = ManifestReader.read(Files.readAllBytes(manifestPath));
    } catch (IOException e) {
      if (!Files.exists(manifestPath)) {
        throw loadError("no " + MANIFEST_FILE + " in bundle directory " + directory);
      }
      throw loadError(manifestPath + " is not a valid manifest: " + firstLine(e.getMessage()));
    }
    validate(manifest, manifestPath);
    ModelBundle bundle = new ModelBundle(directory, manifest);
    bundle.verifyModelFile();
    return bundle;
  }

  /**
   * A bundle for a bare ONNX file, its manifest derived from the model itself and kept in memory
   * (nothing is written next to the user's file).
   */
  public static ModelBundle fromOnnxFile(
      Path onnxFile, String name, String version, SnapserveConfig config) {
    Path file = onnxFile.toAbsolutePath();
    if (!Files.isRegularFile(file)) throw loadError("model file " + onnxFile + " does not exist");
    Manifest.ModelFile described;
    try {
      described = describe(file);
    } catch (IOException e) {
      throw loadError("cannot read model file " + onnxFile + ": " + e.getMessage());
    }
    Manifest manifest =
        new Manifest(
            Manifest.SCHEMA_VERSION,
            name,
            version,
            "onnx",
            described,
            OrtModel.inspect(file.toString(), config),
            null,
            Map.of(
                "producer",
                "derived by snapserve from " + file.getFileName(),
                "createdAt",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
    validate(manifest, file);
    return new ModelBundle(file.getParent(), manifest);
  }

  /** Hex SHA-256 and size of a file. */
  public static Manifest.ModelFile describe(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) size += n;
    }
    return new Manifest.ModelFile(
        file.getFileName().toString(), HexFormat.of().formatHex(sha.digest()), size);
  }

  private static void validate(Manifest m, Path where) {
    if (m.schemaVersion() != Manifest.SCHEMA_VERSION) {
      throw loadError(where + ": unsupported schemaVersion " + m.schemaVersion() + " (expected 1)");
    }
    if (m.name() == null || !m.name().matches(Manifest.NAME_PATTERN)) {
      throw loadError(where + ": model name must match " + Manifest.NAME_PATTERN);
    }
    if (m.version() == null || !m.version().matches(Manifest.NAME_PATTERN)) {
      throw loadError(where + ": model version must match " + Manifest.NAME_PATTERN);
    }
    if (!"onnx".equals(m.format())) {
      throw loadError(where + ": unsupported format '" + m.format() + "' (expected onnx)");
    }
    if (m.model() == null || m.model().file() == null || m.model().sha256() == null) {
      throw loadError(where + ": model.file and model.sha256 are required");
    }
    String file = m.model().file();
    if (!isPlainFileName(file)) {
      throw loadError(where + ": model.file must be a plain file name, got '" + file + "'");
    }
    if (m.signature() == null) throw loadError(where + ": signature is required");
  }

  /**
   * Whether a manifest's {@code model.file} is a plain file name: a file inside the bundle, never a
   * path that could escape it.
   */
  public static boolean isPlainFileName(String file) {
    return !file.isEmpty() && !file.contains("/") && !file.contains("\\") && !file.startsWith(".");
  }

  private void verifyModelFile() {
    Manifest.ModelFile expected = manifest.model();
    Manifest.ModelFile actual;
    try {
      actual = describe(modelFile());
    } catch (NoSuchFileException e) {
      throw loadError("model file " + modelFile() + " named by the manifest is missing");
    } catch (IOException e) {
      throw loadError("cannot read model file " + modelFile() + ": " + e.getMessage());
    }
    if (expected.sizeBytes() > 0 && expected.sizeBytes() != actual.sizeBytes()) {
      throw loadError(
          modelFile()
              + " is "
              + actual.sizeBytes()
              + " bytes but the manifest says "
              + expected.sizeBytes()
              + ": the bundle is corrupt or incomplete");
    }
    if (!expected.sha256().equalsIgnoreCase(actual.sha256())) {
      throw loadError(
          modelFile()
              + " has SHA-256 "
              + actual.sha256()
              + " but the manifest says "
              + expected.sha256()
              + ": refusing to load a model that is not the one the manifest describes");
    }
  }

  private static SnapserveException loadError(String message) {
    return new SnapserveException(ErrorCode.MODEL_LOAD, message);
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }
}
