package dev.snapserve.packager.internal;

import dev.snapserve.packager.PackageRequest.Arch;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.RuntimeClasspath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An adapter's runtime jars as they ship: the adapter jar rebuilt reproducibly (from its jar, or
 * from {@code target/classes} in a Maven reactor) with a manifest of our own, the ONNX Runtime jar
 * reduced to one platform's native library, every other jar as it is.
 */
public final class RuntimeJars {
  private static final String ORT_NATIVE = "ai/onnxruntime/native/";

  private RuntimeJars() {}

  /** One jar ready to ship: its name in the deployable and its file. */
  public record Jar(String fileName, Path file) {}

  /**
   * Prepares the jars of {@code cp} (an adapter's runtime classpath) in {@code workDir}; the
   * adapter comes first.
   *
   * @param classPathPrefix when not null, the adapter jar's manifest gets a {@code Class-Path} of
   *     the other jars under this prefix (e.g. {@code lib/}), as Cloud Functions needs for a
   *     prebuilt jar
   */
  public static List<Jar> prepare(
      RuntimeClasspath cp, Arch arch, Path workDir, Instant time, String classPathPrefix)
      throws IOException {
    Files.createDirectories(workDir);
    List<Jar> jars = new ArrayList<>();
    List<RuntimeClasspath.Entry> deps = cp.entries().subList(1, cp.entries().size());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPathPrefix != null) {
      manifest
          .getMainAttributes()
          .put(
              Attributes.Name.CLASS_PATH,
              String.join(" ", deps.stream().map(d -> classPathPrefix + d.fileName()).toList()));
    }
    RuntimeClasspath.Entry adapter = cp.entries().getFirst();
    jars.add(rebuild(adapter, workDir, time, name -> true, manifest));
    for (RuntimeClasspath.Entry dep : deps) {
      if (isOnnxRuntime(dep.fileName())) {
        Jar stripped = rebuild(dep, workDir, time, keepPlatform(arch), null);
        checkHasNative(stripped, arch);
        jars.add(stripped);
      } else if (Files.isDirectory(dep.source())) {
        jars.add(rebuild(dep, workDir, time, name -> true, null));
      } else {
        jars.add(new Jar(dep.fileName(), dep.source()));
      }
    }
    return jars;
  }

  public static boolean isOnnxRuntime(String fileName) {
    return fileName.matches("onnxruntime-\\d.*\\.jar");
  }

  /** Keeps every entry except native libraries of other platforms. */
  static Predicate<String> keepPlatform(Arch arch) {
    String keep = ORT_NATIVE + arch.onnxRuntimePlatform() + "/";
    return name -> !name.startsWith(ORT_NATIVE) || name.startsWith(keep);
  }

  private static void checkHasNative(Jar jar, Arch arch) throws IOException {
    String lib = ORT_NATIVE + arch.onnxRuntimePlatform() + "/libonnxruntime.so";
    try (ZipFile zip = new ZipFile(jar.file().toFile())) {
      if (zip.getEntry(lib) == null) {
        throw new PackagerException(
            jar.fileName()
                + " has no "
                + lib
                + ": this ONNX Runtime build does not support "
                + arch.id());
      }
    }
  }

  /**
   * Rewrites a jar (or jars a classes directory) keeping the entries {@code keep} accepts, sorted,
   * with a fixed time; {@code manifest}, when given, replaces the original one.
   */
  static Jar rebuild(
      RuntimeClasspath.Entry entry,
      Path workDir,
      Instant time,
      Predicate<String> keep,
      Manifest manifest)
      throws IOException {
    Path out = workDir.resolve(entry.fileName());
    TreeMap<String, ReproducibleZip.Content> sorted = new TreeMap<>();
    ZipFile source =
        Files.isDirectory(entry.source()) ? null : new ZipFile(entry.source().toFile());
    try {
      if (source == null) {
        try (Stream<Path> files = Files.walk(entry.source())) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            String name = entry.source().relativize(f).toString().replace('\\', '/');
            if (keep.test(name)) sorted.put(name, ReproducibleZip.Content.of(f));
          }
        }
      } else {
        Enumeration<? extends ZipEntry> entries = source.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          if (!e.isDirectory() && keep.test(e.getName())) {
            sorted.put(e.getName(), () -> source.getInputStream(e));
          }
        }
      }
      SequencedMap<String, ReproducibleZip.Content> ordered = new LinkedHashMap<>();
      // the manifest leads, where JarInputStream looks for it
      if (manifest != null) {
        sorted.remove(JarFile.MANIFEST_NAME);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        manifest.write(bytes);
        ordered.put(JarFile.MANIFEST_NAME, ReproducibleZip.Content.of(bytes.toByteArray()));
      } else if (sorted.containsKey(JarFile.MANIFEST_NAME)) {
        ordered.put(JarFile.MANIFEST_NAME, sorted.remove(JarFile.MANIFEST_NAME));
      }
      ordered.putAll(sorted);
      try (OutputStream os = Files.newOutputStream(out)) {
        ReproducibleZip.write(os, ordered, time, n -> {});
      }
    } finally {
      if (source != null) source.close();
    }
    return new Jar(entry.fileName(), out);
  }
}
