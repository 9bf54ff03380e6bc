package dev.snapserve.gcp;

import static dev.snapserve.functions.Fixtures.golden;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.functions.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PredictFunction} inside the real Functions Framework invoker (2.0.0, a separate {@code
 * java -jar} process), over real HTTP on 127.0.0.1: PyTorch's golden logits through both protocols,
 * the error contract, and that bad requests leave it serving.
 */
class FunctionsFrameworkIT {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final int MAX_PAYLOAD_BYTES = 256 * 1024;
  static final int ROWS = 5;

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static InvokerProcess invoker;
  static JsonNode digits;

  @BeforeAll
  static void start() throws Exception {
    digits = golden("digits-heldout.json");
    invoker =
        InvokerProcess.start(
            "predict",
            PredictFunction.class,
            InvokerProcess.functionClasspath(false),
            Map.of(
                "SNAPSERVE_BUNDLES", Fixtures.demo().toAbsolutePath().toString(),
                "SNAPSERVE_MAX_PAYLOAD_BYTES", Integer.toString(MAX_PAYLOAD_BYTES)),
            "/v2/health/ready",
            HTTP);
  }

  @AfterAll
  static void stop() {
    if (invoker != null) invoker.close();
  }

  @Test
  void tfServingRowPredictMatchesPyTorchLogits() throws Exception {
    HttpResponse<byte[]> r =
        post("/v1/predict", tfRows(), Map.of("X-Cloud-Trace-Context", TRACE + "/1;o=1"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue(TRACE);
    assertThat(r.headers().firstValue("X-Model-Name")).hasValue("digits");
    JsonNode predictions = Fixtures.json(r.body()).get("predictions");
    assertThat(predictions.size()).isEqualTo(ROWS);
    assertThat(maxAbsDiff(predictions, goldenLogits())).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void openInferenceProtocolInferMatchesPyTorchLogits() throws Exception {
    ObjectNode body = Fixtures.JSON.createObjectNode();
    ObjectNode in = body.putArray("inputs").addObject();
    in.put("name", "pixels").put("datatype", "FP32");
    in.putArray("shape").add(ROWS).add(64);
    ArrayNode data = in.putArray("data");
    for (int i = 0; i < ROWS; i++) digits.get("inputs").get("pixels").get(i).forEach(data::add);

    HttpResponse<byte[]> r = post("/v2/models/digits/infer", Fixtures.bytes(body), Map.of());

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode response = Fixtures.json(r.body());
    assertThat(response.get("model_name").asText()).isEqualTo("digits");
    JsonNode out = response.get("outputs").get(0);
    assertThat(out.get("name").asText()).isEqualTo("logits");
    assertThat(out.get("shape").toString()).isEqualTo("[" + ROWS + ",10]");
    ArrayNode expected = Fixtures.JSON.createArrayNode();
    goldenLogits().forEach(row -> row.forEach(expected::add));
    assertThat(maxAbsDiff(out.get("data"), expected)).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void malformedJsonIs400WithTheErrorContract() throws Exception {
    HttpResponse<byte[]> r = post("/v1/predict", "{\"instances\": [[1, 2,".getBytes(), Map.of());

    assertThat(r.statusCode()).as(text(r)).isEqualTo(400);
    JsonNode error = Fixtures.json(r.body());
    assertThat(fieldNames(error)).containsExactlyInAnyOrder("error", "code", "requestId");
    assertThat(error.get("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(error.get("error").asText()).isNotBlank();
    assertThat(error.get("requestId").asText()).isNotBlank();
    assertThat(text(r)).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unknownRouteIs404() throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(invoker.uri("/v9/nothing/here")).GET().build(),
            BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).as(text(r)).isEqualTo(404);
    JsonNode error = Fixtures.json(r.body());
    assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(error.get("requestId").asText()).isNotBlank();
  }

  @Test
  void bodyOverTheConfiguredLimitIs413() throws Exception {
    HttpResponse<byte[]> r = postOversized(Map.of("X-Cloud-Trace-Context", TRACE));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(413);
    JsonNode error = Fixtures.json(r.body());
    assertThat(error.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(error.get("requestId").asText()).isEqualTo(TRACE);
  }

  @Test
  void goodRequestStillAnswers200AfterBadOnes() throws Exception {
    assertThat(post("/v1/predict", "not json".getBytes(), Map.of()).statusCode()).isEqualTo(400);
    assertThat(post("/v1/predict", "{\"instances\": [[1e999]]}".getBytes(), Map.of()).statusCode())
        .isEqualTo(400);
    assertThat(post("/nope", "{}".getBytes(), Map.of()).statusCode()).isEqualTo(404);
    assertThat(postOversized(Map.of()).statusCode()).isEqualTo(413);

    HttpResponse<byte[]> r = post("/v1/predict", tfRows(), Map.of());
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(maxAbsDiff(Fixtures.json(r.body()).get("predictions"), goldenLogits()))
        .isLessThanOrEqualTo(1e-5);
  }

  /**
   * The invoker jar bundles its own, older, unrelocated Jackson. It must not be what our function
   * links against: a probe function on the same kind of --classpath reports what it sees.
   */
  @Test
  void functionLinksItsOwnJacksonNotTheInvokers() throws Exception {
    assertThat(bundledVersion("com.fasterxml.jackson.core", "jackson-core"))
        .as("premise: the invoker ships a different jackson-core")
        .isNotEqualTo(ours());

    try (InvokerProcess probe =
        InvokerProcess.start(
            "probe",
            ClassLoadingProbe.class,
            InvokerProcess.functionClasspath(true),
            Map.of(),
            "/",
            HTTP)) {
      HttpResponse<String> r =
          HTTP.send(HttpRequest.newBuilder(probe.uri("/")).build(), BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Properties seen = new Properties();
      seen.load(new java.io.StringReader(r.body()));

      assertThat(seen.getProperty("jackson-core")).as(r.body()).isEqualTo(ours());
      assertThat(seen.getProperty("jackson-core-source"))
          .endsWith("jackson-core-" + ours() + ".jar");
      assertThat(seen.getProperty("fast-double-parser")).isEqualTo("true");
      assertThat(seen.getProperty("jetty-visible")).isEqualTo("false");
      assertThat(seen.getProperty("function-loader")).contains("FunctionClassLoader");
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  static byte[] tfRows() {
    ArrayNode rows = Fixtures.JSON.createArrayNode();
    for (int i = 0; i < ROWS; i++) rows.add(digits.get("inputs").get("pixels").get(i));
    return Fixtures.bytes(Map.of("instances", rows));
  }

  static ArrayNode goldenLogits() {
    ArrayNode logits = Fixtures.JSON.createArrayNode();
    for (int i = 0; i < ROWS; i++) logits.add(digits.get("outputs").get("logits").get(i));
    return logits;
  }

  static HttpResponse<byte[]> post(String path, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(HTTP, path, body, headers);
  }

  /**
   * A body over the limit, on a connection of its own: the server answers 413 without reading the
   * body and then closes the connection, which must not be one a later request reuses.
   */
  static HttpResponse<byte[]> postOversized(Map<String, String> headers)
      throws IOException, InterruptedException {
    try (HttpClient once = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return send(once, "/v1/predict", new byte[MAX_PAYLOAD_BYTES + 1], headers);
    }
  }

  private static HttpResponse<byte[]> send(
      HttpClient client, String path, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(invoker.uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return client.send(b.build(), BodyHandlers.ofByteArray());
  }

  /** The body, and the invoker's log, for assertion messages. */
  static String text(HttpResponse<byte[]> r) {
    return new String(r.body()) + "\n--- " + invoker.log + " ---\n" + invoker.output();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The jackson-core our build resolves (the test JVM's). */
  static String ours() {
    return com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString();
  }

  static String bundledVersion(String groupId, String artifactId) throws IOException {
    try (ZipFile jar = new ZipFile(Path.of(InvokerProcess.required("invoker.jar")).toFile())) {
      var entry = jar.getEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
      assertThat(entry).as("%s in the invoker jar", artifactId).isNotNull();
      Properties p = new Properties();
      try (InputStream in = jar.getInputStream(entry)) {
        p.load(in);
      }
      return p.getProperty("version");
    }
  }
}
