package dev.snapserve.estimate.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The plain (default-configured) Jackson mappers the estimator reads and writes with; shared
 * because a configured mapper is thread-safe and costly to build. Never reconfigure them.
 */
public final class Mappers {
  public static final ObjectMapper JSON = new ObjectMapper();

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Mappers() {}

  /** The first line of a parser's message (Jackson appends a source excerpt), or "" if none. */
  public static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
