package dev.snapserve.packager.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Jar rewriting for deployables: deterministic output from the same input. */
public final class Jars {
  /** ONNX Runtime's native libraries, one directory per platform. */
  public static final String ORT_NATIVE = "ai/onnxruntime/native/";

  /** Fixed entry time for jars built from directories (the build's outputTimestamp). */
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

  private Jars() {}

  /**
   * Copies {@code jar} without ONNX Runtime's native libraries for other platforms than {@code
   * keepPlatform} (e.g. linux-x64): the stock jar carries four. Entry order and times are kept.
   */
  public static void stripOrtNatives(Path jar, String keepPlatform, Path out) throws IOException {
    String keep = ORT_NATIVE + keepPlatform + "/";
    try (ZipFile in = new ZipFile(jar.toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        if (name.startsWith(ORT_NATIVE) && name.length() > ORT_NATIVE.length()) {
          if (!name.startsWith(keep)) continue;
        }
        ZipEntry copy = new ZipEntry(name);
        copy.setTimeLocal(e.getTimeLocal()); // DOS fields as they are: no time-zone shift
        zip.putNextEntry(copy);
        try (InputStream data = in.getInputStream(e)) {
          data.transferTo(zip);
        }
        zip.closeEntry();
      }
    }
  }

  /** Zips a classes directory (a reactor module not yet packaged): sorted, fixed times. */
  public static void zipDirectory(Path dir, Path out) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
  }
}
