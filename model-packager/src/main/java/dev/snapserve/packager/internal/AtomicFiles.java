package dev.snapserve.packager.internal;

import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The one way the packager writes a result: into a temporary file next to the target, then an
 * atomic rename. A failure leaves nothing behind, and an existing output is only replaced when the
 * caller says {@code force}.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a temporary file; the consumer must create or fill {@code tmp}. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(Path tmp) throws IOException;
  }

  /**
   * Fails when {@code out} is one of the {@code inputs} (same file, after resolving links); a null
   * input is one that was not given.
   */
  public static void checkNotInput(Path out, Path... inputs) {
    Path target = normalize(out);
    for (Path in : inputs) {
      if (in != null && target.equals(normalize(in))) {
        throw new PackagerException(
            "output "
                + out
                + " is the input file; choose another path (inputs are never overwritten)");
      }
    }
  }

  /** Fails early (before long work) when {@link #write} would refuse {@code out}. */
  public static void checkCanWrite(Path out, boolean force) {
    if (Files.exists(out.toAbsolutePath()) && !force) {
      throw new PackagerException(out + " already exists; pass --force to replace it");
    }
  }

  /** Writes {@code out} atomically; refuses an existing {@code out} unless {@code force}. */
  public static void write(Path out, boolean force, Writer writer) {
    Path target = out.toAbsolutePath();
    checkCanWrite(out, force);
    Path dir = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      writer.writeTo(tmp);
      makeWorldReadable(tmp);
      move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new PackagerException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteQuietly(tmp);
    }
  }

  /**
   * Writes the directory {@code out} atomically: filled as a temporary sibling, then renamed. An
   * existing {@code out} (only with {@code force}) is renamed aside first and deleted after.
   */
  public static void writeDirectory(Path out, boolean force, Writer writer) {
    checkCanWrite(out, force);
    Path target = out.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    Path old = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempDirectory(dir, "." + target.getFileName());
      // temp directories are private (0700); the result is an ordinary directory
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      writer.writeTo(tmp);
      if (Files.exists(target)) {
        old = Files.createTempDirectory(dir, "." + target.getFileName() + ".old");
        Files.move(target, old.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      throw new PackagerException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteTree(tmp);
      if (old != null) deleteTree(old);
    }
  }

  /** Deletes a file or directory tree, best effort (for scratch space). */
  public static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) deleteQuietly(p);
    } catch (IOException ignored) {
      // best effort: scratch space has a dot name
    }
  }

  /** The size of a file; a {@link PackagerException} naming it when it cannot be read. */
  public static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new PackagerException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Total size of the regular files under {@code root}. */
  public static long sizeOfTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      long total = 0;
      for (Path p : paths.filter(Files::isRegularFile).toList()) total += Files.size(p);
      return total;
    }
  }

  /**
   * Temp files are created 0600; a packaged model or bundle is meant to be read by other users
   * (servers, build agents), so the final file gets the usual 0644 where POSIX modes exist.
   */
  private static void makeWorldReadable(Path tmp) throws IOException {
    if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    // rename(2): readers see the old file or the complete new one, never a partial write
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path normalize(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: the temp file has a dot name and a .tmp suffix
    }
  }
}
