package dev.snapserve.packager.internal;

import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.internal.ManifestReader;
import dev.snapserve.packager.PackagerException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads deployable archives (zip, tar) without extracting them: every entry name is checked
 * (zip-slip), and the snapserve {@code manifest.json} inside, if any, is returned.
 */
public final class Archives {
  /** The largest manifest we read from an archive; real ones are a few kB. */
  private static final int MAX_MANIFEST_BYTES = 1 << 20;

  private Archives() {}

  public enum Kind {
    ZIP,
    TAR
  }

  /** The archive's kind from its magic bytes, or null when it is neither zip nor tar. */
  public static Kind kindOf(Path file) throws IOException {
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Kind.ZIP;
    if (n == 512
        && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) { // POSIX/GNU tar
      return Kind.TAR;
    }
    return null;
  }

  /**
   * Checks every entry name and returns the shallowest snapserve manifest (a {@code manifest.json}
   * holding a JSON object with a name and version), or null when there is none. A Docker image's
   * {@code manifest.json} (a JSON array) is not one.
   */
  public static Manifest readManifest(Path archive, Kind kind) {
    try {
      return kind == Kind.ZIP ? fromZip(archive) : fromTar(archive);
    } catch (IOException e) {
      throw new PackagerException("cannot read archive " + archive + ": " + e.getMessage(), e);
    }
  }

  /** Refuses entry names that would land outside an extraction directory. */
  private static void checkEntryName(Path archive, String name) {
    String reason = SafeUnzip.unsafeReason(name);
    if (reason != null) {
      throw new PackagerException(
          "archive "
              + archive
              + " has an unsafe entry name '"
              + name
              + "' ("
              + reason
              + "): refusing to read it");
    }
  }

  private static Manifest fromZip(Path archive) throws IOException {
    Manifest best = null;
    int bestDepth = Integer.MAX_VALUE;
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        checkEntryName(archive, entry.getName());
        int depth = depth(entry.getName());
        if (entry.isDirectory() || !isManifestName(entry.getName()) || depth >= bestDepth) continue;
        if (entry.getSize() > MAX_MANIFEST_BYTES) continue;
        try (InputStream in = zip.getInputStream(entry)) {
          Manifest m = parse(in.readNBytes(MAX_MANIFEST_BYTES));
          if (m != null) {
            best = m;
            bestDepth = depth;
          }
        }
      }
    }
    return best;
  }

  /** A minimal POSIX/GNU/pax tar reader: names (with long-name extensions) and regular files. */
  private static Manifest fromTar(Path archive) throws IOException {
    Manifest best = null;
    int bestDepth = Integer.MAX_VALUE;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
      byte[] header = new byte[512];
      String longName = null;
      while (in.readNBytes(header, 0, 512) == 512) {
        if (isZeroBlock(header)) break;
        long size = parseOctal(archive, header, 124, 12);
        char type = (char) header[156];
        String name = longName != null ? longName : ustarName(header);
        longName = null;
        long padded = (size + 511) & ~511L;
        if (type == 'L' || type == 'x') {
          // GNU long name, or a pax header whose "path" record names the next entry
          if (size > MAX_MANIFEST_BYTES) {
            throw new PackagerException(
                "archive "
                    + archive
                    + " has a "
                    + size
                    + "-byte long-name header: not a tar we read");
          }
          byte[] data = readExactly(archive, in, size);
          skipExactly(archive, in, padded - size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
          continue;
        }
        checkEntryName(archive, name);
        int depth = depth(name);
        if ((type == '0' || type == 0)
            && isManifestName(name)
            && depth < bestDepth
            && size <= MAX_MANIFEST_BYTES) {
          Manifest m = parse(readExactly(archive, in, size));
          skipExactly(archive, in, padded - size);
          if (m != null) {
            best = m;
            bestDepth = depth;
          }
        } else {
          skipExactly(archive, in, padded);
        }
      }
    }
    return best;
  }

  private static boolean isManifestName(String name) {
    return name.equals("manifest.json") || name.endsWith("/manifest.json");
  }

  private static int depth(String name) {
    return (int) name.chars().filter(c -> c == '/').count();
  }

  private static Manifest parse(byte[] json) {
    try {
      Manifest m = ManifestReader.read(json);
      return m.name() != null && m.version() != null ? m : null;
    } catch (IOException e) {
      return null; // not a snapserve manifest (e.g. a Docker image's manifest.json)
    }
  }

  private static String ustarName(byte[] h) {
    String name = cString(h, 0, 100);
    String prefix = cString(h, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String paxPath(byte[] data) {
    // records: "<len> <key>=<value>\n"
    String s = new String(data, StandardCharsets.UTF_8);
    for (String record : s.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) return record.substring(space + 6);
    }
    return null;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) end++;
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long parseOctal(Path archive, byte[] b, int off, int len) {
    String s = cString(b, off, len).trim();
    long size;
    try {
      size = s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      size = -1; // also base-256 sizes (over 8 GiB), which no bundle needs
    }
    if (size < 0) {
      throw new PackagerException(
          "archive " + archive + " is not a valid tar (bad size field '" + s + "')");
    }
    return size;
  }

  private static boolean isZeroBlock(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  private static byte[] readExactly(Path archive, InputStream in, long n) throws IOException {
    byte[] data = in.readNBytes((int) n);
    if (data.length != n) throw truncated(archive);
    return data;
  }

  private static void skipExactly(Path archive, InputStream in, long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (java.io.EOFException e) {
      throw truncated(archive);
    }
  }

  private static PackagerException truncated(Path archive) {
    return new PackagerException("archive " + archive + " is truncated");
  }
}
