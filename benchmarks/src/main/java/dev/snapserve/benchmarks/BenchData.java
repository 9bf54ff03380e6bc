package dev.snapserve.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inputs for the benchmarks, from the committed fixtures: held-out rows from {@code
 * models/testdata} (number text kept verbatim, so request bodies look like a real client's) and the
 * verbatim API Gateway HTTP API v2 event of the adapter's tests with its body replaced.
 *
 * <p>Deliberately free of any JSON library: the first-request probe builds its events with this
 * class before the service exists, and must not warm the parser the request path uses.
 */
final class BenchData {
  static final String EVENT_FIXTURE =
      "adapters/aws-lambda/src/test/resources/apigw-http-v2/predict.json";

  private static final Pattern BODY = Pattern.compile("\"body\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern LENGTH = Pattern.compile("\"content-length\"\\s*:\\s*\"\\d+\"");

  private BenchData() {}

  /** The model's bundle directory. */
  static Path bundle(String model) {
    return root().resolve(model.equals("digits") ? "models/demo" : "models/" + model);
  }

  /**
   * Rows of one example each, as the fixture's number texts: digits' held-out rows in order;
   * mlp784's golden rows repeated to fill {@code count}.
   */
  static List<String[]> rows(String model, int count) {
    String file = model.equals("digits") ? "digits-heldout.json" : model + "-golden.json";
    List<String[]> all = matrix(read(root().resolve("models/testdata").resolve(file)));
    List<String[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(all.get(i % all.size()));
    return out;
  }

  /** The same rows as floats, flattened row-major. */
  static float[] floats(List<String[]> rows) {
    float[] out = new float[rows.size() * rows.get(0).length];
    int n = 0;
    for (String[] row : rows) for (String v : row) out[n++] = Float.parseFloat(v);
    return out;
  }

  /** A TF Serving row-format request body: {@code {"instances":[[...],...]}}. */
  static String body(List<String[]> rows) {
    StringBuilder b = new StringBuilder(rows.size() * rows.get(0).length * 8 + 32);
    b.append("{\"instances\":[");
    for (int r = 0; r < rows.size(); r++) {
      if (r > 0) b.append(',');
      b.append('[').append(String.join(",", rows.get(r))).append(']');
    }
    return b.append("]}").toString();
  }

  /** The adapter's HTTP API v2 predict event, verbatim except for its body and content-length. */
  static byte[] event(String body) {
    String template = read(root().resolve(EVENT_FIXTURE));
    String escaped = body.replace("\\", "\\\\").replace("\"", "\\\"");
    String e = replaceOnce(template, BODY, "\"body\": \"" + escaped + "\"");
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    e = replaceOnce(e, LENGTH, "\"content-length\": \"" + length + "\"");
    return e.getBytes(StandardCharsets.UTF_8);
  }

  /** The repository root: {@code -Dsnapserve.root}, else the nearest ancestor with models/. */
  static Path root() {
    String prop = System.getProperty("snapserve.root");
    if (prop != null) return Path.of(prop);
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("models/demo/manifest.json"))) return p;
    }
    throw new IllegalStateException(
        "run from the repository (no models/demo above " + Path.of("").toAbsolutePath() + ")");
  }

  private static String replaceOnce(String text, Pattern p, String replacement) {
    Matcher m = p.matcher(text);
    if (!m.find()) throw new IllegalStateException(EVENT_FIXTURE + " has no match for " + p);
    return text.substring(0, m.start()) + replacement + text.substring(m.end());
  }

  /** The first array of arrays of numbers in a JSON text (the fixtures' {@code inputs}). */
  private static List<String[]> matrix(String json) {
    int start = json.indexOf("[[");
    int end = json.indexOf("]]", start);
    if (start < 0 || end < 0) throw new IllegalStateException("no rows in the test data");
    List<String[]> rows = new ArrayList<>();
    for (String row : json.substring(start + 2, end).split("\\],\\s*\\[")) {
      String[] values = row.split(",");
      for (int i = 0; i < values.length; i++) values[i] = values[i].trim();
      rows.add(values);
    }
    return rows;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
