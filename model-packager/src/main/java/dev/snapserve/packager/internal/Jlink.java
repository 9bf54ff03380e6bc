package dev.snapserve.packager.internal;

import dev.snapserve.packager.EndpointImageRequest.Arch;
import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Links a small Java runtime with the JDK's {@code jlink}, run as a separate process. */
public final class Jlink {
  private Jlink() {}

  /**
   * Writes a runtime of {@code modules} to {@code out} (which must not exist). jlink's output is
   * deterministic for the same JDK and modules, which keeps images reproducible.
   */
  public static void link(Path jdk, List<String> modules, Arch arch, Path out) {
    Path jlink = jdk.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      throw new PackagerException(
          "no jlink in "
              + jdk
              + " (a JRE cannot link a runtime): use a JDK, or a base image that has Java");
    }
    String jdkArch = releaseValue(jdk, "OS_ARCH");
    if (jdkArch != null && !jdkArch.equals(arch.jdk())) {
      throw new PackagerException(
          "the JDK at "
              + jdk
              + " is "
              + jdkArch
              + " but the image is "
              + arch.oci()
              + ": jlink needs a JDK of the image's architecture, or use a base image that has"
              + " Java");
    }
    List<String> command = new ArrayList<>();
    command.add(jlink.toString());
    command.add("--add-modules");
    command.add(String.join(",", modules));
    command.add("--strip-debug");
    command.add("--no-header-files");
    command.add("--no-man-pages");
    command.add("--compress=zip-6");
    command.add("--output");
    command.add(out.toString());
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int exit = p.waitFor();
      if (exit != 0) {
        throw new PackagerException(
            "jlink failed (exit " + exit + ") for modules " + modules + ": " + firstLine(log));
      }
    } catch (IOException e) {
      throw new PackagerException("cannot run " + jlink + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagerException("interrupted while running jlink", e);
    }
  }

  /** A value of the JDK's {@code release} file, unquoted; null when absent. */
  static String releaseValue(Path jdk, String key) {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) return null;
    Properties p = new Properties();
    try (var in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    String v = p.getProperty(key);
    return v == null ? null : v.replace("\"", "").trim();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).trim();
  }
}
