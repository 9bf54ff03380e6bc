package dev.snapserve.server;

import static dev.snapserve.server.Http.assertDigits;
import static dev.snapserve.server.Http.assertError;
import static dev.snapserve.server.Http.header;
import static dev.snapserve.server.Http.instances;
import static dev.snapserve.server.Http.json;
import static dev.snapserve.server.Http.post;
import static dev.snapserve.server.Http.send;
import static dev.snapserve.server.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every route and every error of the contract, over loopback HTTP. */
class EndpointServerIT {
  static final long PAYLOAD_LIMIT = 32 * 1024;
  static final int BATCH_LIMIT = 16;

  static EndpointServer server;
  static InetSocketAddress address;
  static URI base;

  @BeforeAll
  static void start() {
    SnapserveConfig config =
        SnapserveConfig.builder()
            .bundles(List.of(Fixtures.demo(), Fixtures.bundle("textcls")))
            .maxPayloadBytes(PAYLOAD_LIMIT)
            .maxBatchSize(BATCH_LIMIT)
            .primeIterations(1)
            .build();
    server =
        new EndpointServer(InferenceService.create(config), ServerConfig.defaults().withPort(0));
    address = server.start();
    base = server.baseUri();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void boundAnEphemeralLoopbackPort() {
    assertThat(address.getPort()).isPositive().isNotEqualTo(8080);
    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
    assertThat(base.toString()).isEqualTo("http://127.0.0.1:" + address.getPort());
  }

  @Test
  void rowPredictMatchesPyTorchAndNamesTheModel() {
    HttpResponse<byte[]> r = post(base, "/v1/predict", instances(0, 8));
    assertDigits(r, 0, 8);
    assertThat(header(r, "X-Model-Name")).isEqualTo("digits");
    assertThat(header(r, "X-Model-Version")).isEqualTo("1");
    assertThat(header(r, "Content-Type")).isEqualTo("application/json");
    assertThat(header(r, "X-Request-Id")).isNotBlank();
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
  }

  @Test
  void callerRequestIdIsEchoed() {
    HttpResponse<byte[]> r =
        send(
            Http.request(base, "/v1/predict")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "trace-42")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(instances(3, 5))))
                .build());
    assertDigits(r, 3, 5);
    assertThat(header(r, "X-Request-Id")).isEqualTo("trace-42");

    HttpResponse<byte[]> bad =
        send(
            Http.request(base, "/v1/predict")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "trace-43")
                .POST(HttpRequest.BodyPublishers.ofString("{"))
                .build());
    assertThat(assertError(bad, 400, "INVALID_INPUT").get("requestId").asText())
        .isEqualTo("trace-43");
  }

  @Test
  void openInferenceProtocolAndTfServingColumnarMatchToo() {
    ObjectNode oip = Fixtures.JSON.createObjectNode();
    ObjectNode in = oip.putArray("inputs").addObject();
    in.put("name", "pixels").put("datatype", "FP32");
    in.putArray("shape").add(4).add(64);
    in.set("data", Http.pixels(10, 14));
    HttpResponse<byte[]> r = post(base, "/v2/models/digits/versions/1/infer", oip);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode out = json(r).get("outputs").get(0);
    assertThat(out.get("shape").toString()).isEqualTo("[4,10]");
    assertThat(Fixtures.maxAbsDiff(out.get("data"), flatten(Http.logits(10, 14))))
        .isLessThanOrEqualTo(1e-5);

    HttpResponse<byte[]> c =
        post(base, "/v1/models/digits:predict", Map.of("inputs", Http.pixels(20, 23)));
    assertThat(c.statusCode()).as(text(c)).isEqualTo(200);
    assertThat(Fixtures.maxAbsDiff(json(c).get("outputs"), Http.logits(20, 23)))
        .isLessThanOrEqualTo(1e-5);
  }

  static Stream<Arguments> badRequests() {
    String zeros63 = "[" + "0,".repeat(62) + "0]";
    String strings64 = "[" + "\"a\",".repeat(63) + "\"a\"]";
    String nan = "[NaN" + ",0".repeat(63) + "]";
    String batch17 =
        "{\"instances\": ["
            + ("[" + "0,".repeat(63) + "0],").repeat(16)
            + "["
            + "0,".repeat(63)
            + "0]]}";
    return Stream.of(
        bad(
            "malformed JSON",
            "POST",
            "/v1/predict",
            "application/json",
            "{\"instances\": [[1, 2",
            400,
            "INVALID_INPUT",
            "malformed JSON"),
        bad(
            "empty body",
            "POST",
            "/v1/predict",
            "application/json",
            "",
            400,
            "INVALID_INPUT",
            "empty"),
        bad(
            "text/plain",
            "POST",
            "/v1/predict",
            "text/plain",
            "{\"instances\": []}",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "text/plain"),
        bad("unknown route", "GET", "/v1/nothing-here", null, null, 404, "NOT_FOUND", "no route"),
        bad(
            "unknown model",
            "POST",
            "/v1/models/nope:predict",
            "application/json",
            "{\"instances\": [[0]]}",
            404,
            "NOT_FOUND",
            "no model named 'nope'"),
        bad(
            "unknown version",
            "POST",
            "/v1/models/digits/versions/9:predict",
            "application/json",
            "{\"instances\": [[0]]}",
            404,
            "NOT_FOUND",
            "no version '9'"),
        bad(
            "unknown OIP model",
            "POST",
            "/v2/models/nope/infer",
            "application/json",
            "{\"inputs\": []}",
            404,
            "NOT_FOUND",
            "no model named 'nope'"),
        bad(
            "GET on predict",
            "GET",
            "/v1/predict",
            null,
            null,
            405,
            "METHOD_NOT_ALLOWED",
            "use POST"),
        bad(
            "strings for FP32",
            "POST",
            "/v1/predict",
            "application/json",
            "{\"instances\": [" + strings64 + "]}",
            400,
            "INVALID_INPUT",
            "a string where a FP32 number"),
        bad(
            "wrong rank",
            "POST",
            "/v1/predict",
            "application/json",
            "{\"instances\": [1.0, 2.0]}",
            400,
            "INVALID_INPUT",
            "rank 1"),
        bad(
            "wrong static dim",
            "POST",
            "/v1/predict",
            "application/json",
            "{\"instances\": [" + zeros63 + "]}",
            400,
            "INVALID_INPUT",
            "dimension 1 must be 64"),
        bad(
            "mismatched batch sizes",
            "POST",
            "/v1/models/textcls:predict",
            "application/json",
            "{\"inputs\": {\"input_ids\": [[1, 2, 3]], \"attention_mask\": [[1, 1, 1], [1, 1, 1]]}}",
            400,
            "INVALID_INPUT",
            "batch sizes differ"),
        bad(
            "batch above limit",
            "POST",
            "/v1/predict",
            "application/json",
            batch17,
            400,
            "INVALID_INPUT",
            "exceeds the limit of 16"),
        bad(
            "NaN",
            "POST",
            "/v1/predict",
            "application/json",
            "{\"instances\": [" + nan + "]}",
            400,
            "INVALID_INPUT",
            "non-finite value NaN"),
        bad(
            "GET on /invocations",
            "GET",
            "/invocations",
            null,
            null,
            405,
            "METHOD_NOT_ALLOWED",
            "use POST"),
        bad(
            "POST on /ping",
            "POST",
            "/ping",
            "application/json",
            "{}",
            405,
            "METHOD_NOT_ALLOWED",
            "use GET"));
  }

  private static Arguments bad(
      String name,
      String method,
      String path,
      String type,
      String body,
      int status,
      String code,
      String says) {
    return Arguments.argumentSet(name, method, path, type, body, status, code, says);
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void badRequestAnswersTheContractAndTheServerKeepsServing(
      String method, String path, String type, String body, int status, String code, String says) {
    HttpResponse<byte[]> r =
        send(base, method, path, type, body == null ? null : Fixtures.bytes(body));
    JsonNode error = assertError(r, status, code);
    assertThat(error.get("error").asText()).contains(says);
    if (status == 405) assertThat(header(r, "Allow")).isIn("GET", "POST");
    assertDigits(post(base, "/v1/predict", instances(100, 102)), 100, 102);
  }

  @Test
  void bodyOverTheLimitIs413WhetherChunkedOrWithALength() {
    byte[] big = new byte[(int) PAYLOAD_LIMIT + 20_000];
    Arrays.fill(big, (byte) ' ');
    // chunked: no length up front, the server stops reading at the limit
    HttpResponse<byte[]> chunked =
        send(
            Http.request(base, "/v1/predict")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build());
    assertThat(assertError(chunked, 413, "PAYLOAD_TOO_LARGE").get("error").asText())
        .contains("more than " + PAYLOAD_LIMIT + " bytes");
    assertThat(header(chunked, "Connection")).isEqualTo("close");
    assertDigits(post(base, "/v1/predict", instances(7, 9)), 7, 9);

    // with Content-Length: refused before reading
    HttpResponse<byte[]> sized = send(base, "POST", "/v1/predict", "application/json", big);
    assertThat(assertError(sized, 413, "PAYLOAD_TOO_LARGE").get("error").asText())
        .contains(big.length + " bytes");
    assertThat(header(sized, "Connection")).isEqualTo("close");
    assertDigits(post(base, "/invocations", instances(7, 9)), 7, 9);
  }

  @Test
  void announcedLengthOverTheLimitIsRefusedUnreadAndTheConnectionClosed() throws Exception {
    try (Socket socket = Http.connect(address)) {
      Http.Raw r =
          Http.raw(
              socket,
              "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "X-Request-Id: huge-1\r\nContent-Length: 1000000000\r\n\r\n");
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.header("Connection")).isEqualTo("close");
      JsonNode body = Fixtures.json(r.body());
      assertThat(body.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
      assertThat(body.get("requestId").asText()).isEqualTo("huge-1");
      assertThat(body.get("error").asText()).contains("1000000000 bytes");
      // the client sends nothing more; the server does not wait for the rest, it hangs up
      socket.shutdownOutput();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertDigits(post(base, "/v1/predict", instances(0, 1)), 0, 1);
  }

  @Test
  void healthAnswersGetAndHeadWithoutABody() {
    HttpResponse<byte[]> get = Http.get(base, "/v2/health/ready");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(json(get).get("ready").asBoolean()).as(text(get)).isTrue();

    HttpResponse<byte[]> head = send(base, "HEAD", "/v2/health/ready", null, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(get.body().length));

    HttpResponse<byte[]> headPredict = send(base, "HEAD", "/v1/predict", null, null);
    assertThat(headPredict.statusCode()).isEqualTo(405);
    assertThat(headPredict.body()).isEmpty();
    assertDigits(post(base, "/v1/predict", instances(0, 1)), 0, 1);
  }

  @Test
  void sageMakerPingAndInvocations() {
    assertThat(Http.get(base, "/ping").statusCode()).isEqualTo(200);
    assertThat(send(base, "HEAD", "/ping", null, null).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> r = post(base, "/invocations", instances(40, 45));
    assertDigits(r, 40, 45);
    assertThat(header(r, "X-Model-Name")).isEqualTo("digits");
    assertThat(header(r, "X-Model-Version")).isEqualTo("1");
  }

  static ArrayNode flatten(JsonNode nested) {
    ArrayNode out = Fixtures.JSON.createArrayNode();
    if (nested.isArray()) nested.forEach(n -> out.addAll(flatten(n)));
    else out.add(nested);
    return out;
  }
}
