package dev.snapserve.gcp;

import static dev.snapserve.functions.Fixtures.golden;
import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.gcp.internal.FunctionsHttp;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The function against the demo bundle, through in-memory Functions Framework request/response. */
class PredictFunctionTest {
  static final String TRACE = "105445aa7843bc8bf206b12000100000";
  static InferenceService service;

  @BeforeAll
  static void load() {
    service =
        InferenceService.create(SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo())));
  }

  static final List<InferenceService> limited = new ArrayList<>();

  @AfterAll
  static void close() {
    service.close();
    limited.forEach(InferenceService::close);
  }

  /** A function over the demo whose service refuses bodies above {@code maxPayloadBytes}. */
  static PredictFunction withLimit(long maxPayloadBytes) {
    InferenceService s =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.demo()))
                .withMaxPayloadBytes(maxPayloadBytes));
    limited.add(s);
    return new PredictFunction(s);
  }

  @Test
  void predictsHeldOutDigitsLikePyTorch() throws Exception {
    JsonNode g = golden("digits-heldout.json");
    ArrayNode rows = Fixtures.JSON.createArrayNode();
    ArrayNode expected = Fixtures.JSON.createArrayNode();
    for (int i = 0; i < 5; i++) {
      rows.add(g.get("inputs").get("pixels").get(i));
      expected.add(g.get("outputs").get("logits").get(i));
    }
    FakeRequest request =
        new FakeRequest("POST", "/v1/predict", Fixtures.bytes(Map.of("instances", rows)))
            // first value of a repeated header wins
            .header("Content-Type", "application/json", "text/plain")
            .header("X-Cloud-Trace-Context", TRACE + "/1;o=1");
    FakeResponse response = call(new PredictFunction(service), request);

    assertThat(response.status).as(response.text()).isEqualTo(200);
    assertThat(response.contentType).isEqualTo("application/json");
    assertThat(response.headers).containsEntry("X-Request-Id", List.of(TRACE));
    assertThat(response.headers).containsEntry("X-Model-Name", List.of("digits"));
    JsonNode predictions = json(response.body.toByteArray()).get("predictions");
    assertThat(predictions.size()).isEqualTo(5);
    assertThat(maxAbsDiff(predictions, expected)).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void routesAndErrorsComeFromTheService() throws Exception {
    FakeResponse notFound =
        call(new PredictFunction(service), new FakeRequest("GET", "/nowhere", new byte[0]));
    assertThat(notFound.status).isEqualTo(404);
    JsonNode error = json(notFound.body.toByteArray());
    assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(error.get("requestId").asText()).isNotBlank(); // generated: no trace header

    FakeResponse ready =
        call(new PredictFunction(service), new FakeRequest("GET", "/v2/health/ready", null));
    assertThat(ready.status).isEqualTo(200);
  }

  @Test
  void oversizedStreamedBodyIsRefusedWith413AfterReadingOneByteOverTheLimit() throws Exception {
    long limit = 1024;
    CountingStream body = new CountingStream(new byte[1 << 20]);
    FakeRequest request = new FakeRequest("POST", "/v1/predict", body, -1); // chunked: no length
    request.header("X-Cloud-Trace-Context", TRACE);
    FakeResponse response = call(withLimit(limit), request);

    assertThat(response.status).isEqualTo(413);
    assertThat(body.read.get()).isEqualTo(limit + 1);
    JsonNode error = json(response.body.toByteArray());
    assertThat(error.get("code").asText()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE.name());
    assertThat(error.get("error").asText()).contains("limit is 1024 bytes");
    assertThat(error.get("requestId").asText()).isEqualTo(TRACE);
    assertThat(response.contentType).isEqualTo("application/json");
  }

  @Test
  void declaredOversizedBodyIsRefusedWith413WithoutReadingIt() throws Exception {
    CountingStream body = new CountingStream(new byte[4096]);
    FakeRequest request = new FakeRequest("POST", "/v1/predict", body, 4096);
    FakeResponse response = call(withLimit(1024), request);

    assertThat(response.status).isEqualTo(413);
    assertThat(body.read.get()).isZero();
    JsonNode error = json(response.body.toByteArray());
    assertThat(error.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(error.get("requestId").asText()).as("generated when no trace header").isNotBlank();
  }

  @Test
  void bodyOfExactlyTheLimitIsServed() throws Exception {
    byte[] body =
        Fixtures.bytes(
            Map.of(
                "instances",
                List.of(golden("digits-heldout.json").get("inputs").get("pixels").get(0))));
    FakeResponse response =
        call(
            withLimit(body.length),
            new FakeRequest("POST", "/v1/predict", new CountingStream(body), -1));
    assertThat(response.status).as(response.text()).isEqualTo(200);
  }

  @Test
  void traceIdIsTheFirstPartOfTheCloudTraceHeader() {
    assertThat(FunctionsHttp.traceId(TRACE + "/789;o=1")).isEqualTo(TRACE);
    assertThat(FunctionsHttp.traceId(TRACE + ";o=1")).isEqualTo(TRACE);
    assertThat(FunctionsHttp.traceId(TRACE + "/")).isEqualTo(TRACE);
    assertThat(FunctionsHttp.traceId(TRACE)).isEqualTo(TRACE);
    assertThat(FunctionsHttp.traceId(null)).isNull();
    assertThat(FunctionsHttp.traceId("/789;o=1")).isNull();
    assertThat(FunctionsHttp.traceId("not-hex\r\nX-Evil: 1")).isNull();
  }

  @Test
  void defaultBundleIsModelUnderTheWorkingDirectory() {
    SnapserveConfig config = PredictFunction.config(Map.of());
    assertThat(config.bundles()).containsExactly(Path.of("model").toAbsolutePath());
    assertThatThrownBy(() -> PredictFunction.boot(config))
        .isInstanceOf(SnapserveException.class)
        .satisfies(e -> assertThat(((SnapserveException) e).code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining(Path.of("model").toAbsolutePath().toString());
  }

  @Test
  void bootLoadsAndPrimesConfiguredBundles() {
    SnapserveConfig config =
        PredictFunction.config(
            Map.of(
                "SNAPSERVE_BUNDLES",
                Fixtures.demo().toString(),
                "SNAPSERVE_PRIME_ITERATIONS",
                "2"));
    assertThat(config.bundles()).containsExactly(Fixtures.demo());
    try (InferenceService booted = PredictFunction.boot(config)) {
      assertThat(booted.models()).extracting(m -> m.name()).containsExactly("digits");
    }
  }

  static FakeResponse call(PredictFunction function, FakeRequest request) throws Exception {
    FakeResponse response = new FakeResponse();
    function.service(request, response);
    return response;
  }

  /** An in-memory request, shaped like the invoker's: case-insensitive header names. */
  static final class FakeRequest implements HttpRequest {
    final String method;
    final String path;
    final InputStream body;
    final long contentLength;
    final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    FakeRequest(String method, String path, byte[] body) {
      this(
          method,
          path,
          new ByteArrayInputStream(body == null ? new byte[0] : body),
          body == null ? 0 : body.length);
    }

    FakeRequest(String method, String path, InputStream body, long contentLength) {
      this.method = method;
      this.path = path;
      this.body = body;
      this.contentLength = contentLength;
    }

    FakeRequest header(String name, String... values) {
      headers.put(name, List.of(values));
      return this;
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getUri() {
      return "http://localhost:8080" + path;
    }

    @Override
    public String getPath() {
      return path;
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.empty();
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Map<String, HttpPart> getParts() {
      throw new IllegalStateException("not multipart");
    }

    @Override
    public Optional<String> getContentType() {
      return getFirstHeader("Content-Type");
    }

    @Override
    public long getContentLength() {
      return contentLength;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.empty();
    }

    @Override
    public InputStream getInputStream() {
      return body;
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  /** Records status, headers and body. */
  static final class FakeResponse implements HttpResponse {
    int status = 200;
    String contentType;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    String text() {
      return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String contentType) {
      this.contentType = contentType;
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(contentType);
    }

    @Override
    public void appendHeader(String header, String value) {
      headers.computeIfAbsent(header, k -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }

  /** A body that counts how much of it was read. */
  static final class CountingStream extends InputStream {
    final ByteArrayInputStream in;
    final AtomicLong read = new AtomicLong();

    CountingStream(byte[] bytes) {
      in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() {
      int b = in.read();
      if (b >= 0) read.incrementAndGet();
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = in.read(b, off, len);
      if (n > 0) read.addAndGet(n);
      return n;
    }
  }
}
