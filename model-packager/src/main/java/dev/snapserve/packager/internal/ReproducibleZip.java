package dev.snapserve.packager.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SequencedMap;
import java.util.function.LongConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes zips (and jars) whose bytes depend only on their content: entries in the caller's order
 * (callers sort), one fixed timestamp stored as DOS local time (no time zone enters), no directory
 * entries and no Unix modes (unzip applies its defaults: 0644 files, 0755 directories, readable by
 * the Lambda runtime user).
 */
public final class ReproducibleZip {
  /** The earliest time a zip entry's DOS date-time field holds. */
  private static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

  private ReproducibleZip() {}

  /** An entry's content. */
  @FunctionalInterface
  public interface Content {
    InputStream open() throws IOException;

    static Content of(Path file) {
      return () -> Files.newInputStream(file);
    }

    static Content of(byte[] bytes) {
      return () -> new java.io.ByteArrayInputStream(bytes);
    }
  }

  /**
   * Writes {@code entries} in their order; reports bytes read so far to {@code done}. Returns the
   * total uncompressed size.
   */
  public static long write(
      OutputStream out, SequencedMap<String, Content> entries, Instant time, LongConsumer done)
      throws IOException {
    LocalDateTime local = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
    // DOS times start in 1980; for earlier ones ZipEntry adds an extended time computed in the
    // JVM's default time zone, and the bytes would depend on where the build ran
    if (local.isBefore(DOS_EPOCH)) local = DOS_EPOCH;
    long total = 0;
    ZipOutputStream zip = new ZipOutputStream(out);
    byte[] buf = new byte[1 << 16];
    for (var e : entries.entrySet()) {
      ZipEntry entry = new ZipEntry(e.getKey());
      entry.setTimeLocal(local);
      entry.setMethod(ZipEntry.DEFLATED);
      zip.putNextEntry(entry);
      try (InputStream in = e.getValue().open()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          zip.write(buf, 0, n);
          total += n;
          done.accept(total);
        }
      }
      zip.closeEntry();
    }
    zip.finish();
    out.flush();
    return total;
  }
}
