package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The committed model bundles and golden data under {@code models/}, for every module's tests. */
public final class Fixtures {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final Path ROOT = findRoot();

  private Fixtures() {}

  public static Path bundle(String name) {
    return ROOT.resolve("models").resolve(name);
  }

  public static Path demo() {
    return bundle("demo");
  }

  public static JsonNode golden(String file) {
    return readJson(ROOT.resolve("models/testdata").resolve(file));
  }

  public static JsonNode readJson(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Object value) {
    try {
      return value instanceof String s
          ? s.getBytes(StandardCharsets.UTF_8)
          : JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ServeRequest post(String path, Object body) {
    return ServeRequest.of(
        "POST", path, Map.of("Content-Type", "application/json"), bytes(body), null);
  }

  public static ServeRequest get(String path) {
    return ServeRequest.of("GET", path, Map.of(), null, null);
  }

  /** Largest absolute difference between two same-shaped numeric JSON trees. */
  public static double maxAbsDiff(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return Math.abs(a.doubleValue() - b.doubleValue());
    assertThat(a.isArray()).as("array at %s", a).isTrue();
    assertThat(a.size()).as("length of %s", a).isEqualTo(b.size());
    double max = 0;
    for (int i = 0; i < a.size(); i++) max = Math.max(max, maxAbsDiff(a.get(i), b.get(i)));
    return max;
  }

  /** The repository root: the nearest ancestor of the working directory that has models/. */
  private static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("models/demo/manifest.json"))) return p;
    }
    throw new IllegalStateException(
        "cannot find models/demo above " + Path.of("").toAbsolutePath());
  }
}
