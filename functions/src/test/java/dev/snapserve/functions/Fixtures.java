package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

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

  /** Copies a committed bundle (manifest.json + model.onnx) into {@code target}; returns it. */
  public static Path copyBundle(String name, Path target) {
    try {
      Files.createDirectories(target);
      for (String f : new String[] {"manifest.json", "model.onnx"}) {
        Files.copy(bundle(name).resolve(f), target.resolve(f));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites a bundle's manifest.json in place with {@code edit}. */
  public static void editManifest(Path bundleDir, Consumer<ObjectNode> edit) {
    Path manifest = bundleDir.resolve("manifest.json");
    ObjectNode m = (ObjectNode) readJson(manifest);
    edit.accept(m);
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
