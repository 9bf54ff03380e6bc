package dev.snapserve.estimate.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.snapserve.estimate.EstimateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The plain (default-configured) Jackson mappers the estimator reads and writes with; shared
 * because a configured mapper is thread-safe and costly to build. Never reconfigure them.
 */
public final class Mappers {
  public static final ObjectMapper JSON = new ObjectMapper();

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Mappers() {}

  /**
   * The text of an input file, or an error naming {@code what} it is: "no such file", "not a file",
   * or the reason it cannot be read.
   */
  public static String readText(Path file, String what) {
    if (Files.isDirectory(file)) throw new EstimateException(what + " " + file + ": not a file");
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new EstimateException(what + " " + file + ": no such file");
    } catch (IOException e) {
      throw new EstimateException(
          "cannot read " + what + " " + file + ": " + firstLine(e.getMessage()));
    }
  }

  /** The first line of a parser's message (Jackson appends a source excerpt), or "" if none. */
  public static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
