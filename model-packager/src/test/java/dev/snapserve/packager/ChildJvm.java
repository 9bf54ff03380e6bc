package dev.snapserve.packager;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A fresh JVM (the one running the tests) with its output in a log file, stopped on close. */
final class ChildJvm implements AutoCloseable {
  final Process process;
  final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java ARGS} in {@code dir}, with only {@code env} as snapserve configuration. */
  static ChildJvm start(Path dir, Path log, Map<String, String> env, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SNAPSERVE_") || k.startsWith("AWS_"));
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), log);
  }

  /** Jars on the test classpath whose file names start with one of {@code prefixes}. */
  static List<Path> testJars(String... prefixes) {
    List<Path> jars = new ArrayList<>();
    for (String item : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(item).getFileName().toString();
      for (String prefix : prefixes) {
        if (name.startsWith(prefix) && name.endsWith(".jar")) jars.add(Path.of(item));
      }
    }
    return jars;
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
