package dev.snapserve.packager.internal;

import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Extracts an archive the user gave us, refusing entries that would land outside the target. */
public final class SafeUnzip {
  private SafeUnzip() {}

  /** Extracts {@code zip} into the (empty) directory {@code dir}. */
  public static void extract(Path zip, Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path target = checkedTarget(zip, root, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, target);
        }
      }
    } catch (ZipException e) {
      throw new PackagerException(zip + " is not a readable zip archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new PackagerException("cannot extract " + zip + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why an archive entry name would land outside the directory it is extracted to, or null when it
   * is safe. Zip-slip names are refused, never cleaned: an archive holding one was made to attack.
   */
  public static String unsafeReason(String name) {
    if (name.isEmpty()) return "empty name";
    if (name.indexOf('\0') >= 0) return "NUL character";
    if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
      return "absolute path";
    }
    for (String segment : name.split("[/\\\\]")) if (segment.equals("..")) return "'..' segment";
    return null;
  }

  static Path checkedTarget(Path zip, Path root, String name) {
    Path target = root.resolve(name).normalize();
    if (unsafeReason(name) != null || !target.startsWith(root)) {
      throw new PackagerException(
          zip
              + " contains the entry '"
              + name
              + "', which points outside the archive (absolute path or '..'); refusing to extract it");
    }
    return target;
  }
}
