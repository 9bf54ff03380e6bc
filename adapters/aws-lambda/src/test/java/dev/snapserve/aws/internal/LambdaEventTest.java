package dev.snapserve.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.functions.ServeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LambdaEventTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ServeRequest read(byte[] event) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(event)) {
      return LambdaEvent.read(p).toServeRequest("fallback");
    }
  }

  static byte[] httpApiEvent(String body) throws IOException {
    return JSON.writeValueAsBytes(
        Map.of(
            "version",
            "2.0",
            "rawPath",
            "/v1/predict",
            "requestContext",
            Map.of("http", Map.of("method", "POST")),
            "body",
            body,
            "isBase64Encoded",
            false));
  }

  /** Bodies are encoded from the parser's buffer: escapes, non-ASCII and buffer boundaries. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, 70_000})
  void bodyBytesAreTheUtf8OfTheBodyString(int repeat) throws IOException {
    String body = "{\"text\":\"" + "a\\\"é€😀\n".repeat(repeat) + "\"}" + "x".repeat(repeat);
    ServeRequest r = read(httpApiEvent(body));
    assertThat(r.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void primingEventsDecodeToTheRequestTheyCarry(boolean pretty) throws IOException {
    ServeRequest sent =
        ServeRequest.of(
            "POST",
            "/v1/models/digits:predict",
            Map.of("content-type", "application/json"),
            "{\"instances\":[[0]]}".getBytes(StandardCharsets.UTF_8),
            "prime");
    ServeRequest got = read(LambdaEvent.httpApiEvent(sent, pretty));
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.path()).isEqualTo(sent.path());
    assertThat(got.headers()).containsAllEntriesOf(sent.headers());
    assertThat(got.body()).isEqualTo(sent.body());
    assertThat(got.requestId()).isEqualTo("prime");
  }
}
