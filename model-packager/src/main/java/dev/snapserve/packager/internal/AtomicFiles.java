package dev.snapserve.packager.internal;

import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

  /** Fails when {@code out} is one of the {@code inputs} (same file, after resolving links). */
  public static void checkNotInput(Path out, Path... inputs) {
    Path target = normalize(out);
    for (Path in : inputs) {
      if (target.equals(normalize(in))) {
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
      move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new PackagerException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteQuietly(tmp);
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
