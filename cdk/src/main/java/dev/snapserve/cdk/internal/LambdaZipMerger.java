package dev.snapserve.cdk.internal;

import dev.snapserve.cdk.LambdaArtifactException;
import dev.snapserve.packager.internal.LambdaZip;
import dev.snapserve.packager.internal.SafeUnzip;
import dev.snapserve.spec.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Merges the packager's one-model Lambda zips ({@code lib/} + {@code model/}) into one zip for a
 * function that serves several model versions: {@code lib/} once, each bundle under {@code
 * models/<model>/<version>/}. Entries are sorted and carry one fixed timestamp, so the same inputs
 * give the same bytes (and the same CDK asset hash).
 */
public final class LambdaZipMerger {
  private static final String BUNDLE = "model/";
  private static final LocalDateTime TIMESTAMP = LocalDateTime.of(2026, 1, 1, 0, 0);

  private LambdaZipMerger() {}

  /**
   * Writes {@code out} (temp file, then an atomic rename) from {@code inputs}, version to zip.
   *
   * @throws LambdaArtifactException when an input is not a packager zip, the inputs carry different
   *     runtime jars, or the result exceeds Lambda's unzipped size limit
   */
  public static Path merge(Map<ModelVersion, Path> inputs, Path out) {
    if (inputs.containsValue(out)) {
      throw new LambdaArtifactException("merged zip " + out + " would overwrite one of its inputs");
    }
    Map<String, byte[]> entries = new TreeMap<>();
    Map<String, byte[]> runtime = null;
    Path runtimeFrom = null;
    for (var e : inputs.entrySet()) {
      ModelVersion v = e.getKey();
      Map<String, byte[]> own = new LinkedHashMap<>();
      Map<String, byte[]> ownRuntime = new TreeMap<>();
      boolean hasBundle = false;
      try (ZipFile zip = new ZipFile(e.getValue().toFile())) {
        Enumeration<? extends ZipEntry> it = zip.entries();
        while (it.hasMoreElements()) {
          ZipEntry z = it.nextElement();
          String name = z.getName();
          if (z.isDirectory()) continue;
          // zip-slip, by the packager's rule; and, as before, no backslash in a name at all
          String unsafe = name.contains("\\") ? "backslash" : SafeUnzip.unsafeReason(name);
          if (unsafe != null) {
            throw new LambdaArtifactException(
                e.getValue() + ": unsafe entry name '" + name + "' (" + unsafe + ")");
          }
          if (name.startsWith(BUNDLE)) {
            hasBundle = true;
            own.put(
                "models/" + v.model() + "/" + v.version() + "/" + name.substring(BUNDLE.length()),
                read(zip, z));
          } else {
            byte[] bytes = read(zip, z);
            ownRuntime.put(name, bytes);
            own.put(name, bytes);
          }
        }
      } catch (IOException ex) {
        throw new LambdaArtifactException(
            "cannot read Lambda zip " + e.getValue() + " of " + v.ref() + ": " + ex.getMessage());
      }
      if (!hasBundle) {
        throw new LambdaArtifactException(
            e.getValue() + " has no model/ directory: not a snapserve Lambda zip of " + v.ref());
      }
      if (runtime == null) {
        runtime = ownRuntime;
        runtimeFrom = e.getValue();
      } else if (!sameEntries(runtime, ownRuntime)) {
        throw new LambdaArtifactException(
            e.getValue()
                + " carries other runtime jars than "
                + runtimeFrom
                + " (different snapserve version or architecture?); package every version of"
                + " the target with the same snapserve and --arch");
      }
      entries.putAll(own);
    }
    long unzipped = entries.values().stream().mapToLong(b -> b.length).sum();
    if (unzipped > LambdaZip.UNZIPPED_LIMIT) {
      throw new LambdaArtifactException(
          out.getFileName()
              + " would unzip to "
              + unzipped
              + " bytes, over Lambda's 250 MB limit ("
              + LambdaZip.UNZIPPED_LIMIT
              + "); move some of "
              + inputs.keySet().stream().map(ModelVersion::ref).toList()
              + " to an endpoint target");
    }
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".merge-", ".zip");
      try {
        try (OutputStream os = Files.newOutputStream(tmp);
            ZipOutputStream zos = new ZipOutputStream(os)) {
          for (var entry : entries.entrySet()) {
            ZipEntry z = new ZipEntry(entry.getKey());
            z.setTimeLocal(TIMESTAMP);
            zos.putNextEntry(z);
            zos.write(entry.getValue());
            zos.closeEntry();
          }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + out, ex);
    }
    return out;
  }

  /** The same entry names with byte-identical contents. */
  private static boolean sameEntries(Map<String, byte[]> a, Map<String, byte[]> b) {
    return a.keySet().equals(b.keySet())
        && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  private static byte[] read(ZipFile zip, ZipEntry z) throws IOException {
    try (InputStream in = zip.getInputStream(z)) {
      return in.readAllBytes();
    }
  }
}
