package dev.snapserve.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The CLI run in-process, its standard output and error captured (UTF-8): tests extend it. */
abstract class CliRun {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs one command line; returns its exit code. The streams accumulate across runs. */
  int run(String... args) {
    return run(System.getenv(), args);
  }

  /** As {@link #run(String...)}, with {@code env} as the environment the commands read. */
  int run(Map<String, String> env, String... args) {
    return SnapserveCli.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env,
        args);
  }
}
