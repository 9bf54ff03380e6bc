package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.snapserve.functions.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loopback HTTP for the integration tests: java.net.http for requests, a raw socket for the rest.
 */
final class Http {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The golden held-out digits: inputs, PyTorch logits. */
  static final JsonNode DIGITS = Fixtures.golden("digits-heldout.json");

  private Http() {}

  static HttpRequest.Builder request(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
  }

  static HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> send(
      URI base, String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b = request(base, path);
    if (contentType != null) b.header("Content-Type", contentType);
    return send(
        b.method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  static HttpResponse<byte[]> post(URI base, String path, Object json) {
    return send(base, "POST", path, "application/json", Fixtures.bytes(json));
  }

  static HttpResponse<byte[]> get(URI base, String path) {
    return send(base, "GET", path, null, null);
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    return Fixtures.json(r.body());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Rows [from, to) of the held-out pixels. */
  static ArrayNode pixels(int from, int to) {
    return slice(DIGITS.get("inputs").get("pixels"), from, to);
  }

  /** PyTorch's logits for rows [from, to). */
  static ArrayNode logits(int from, int to) {
    return slice(DIGITS.get("outputs").get("logits"), from, to);
  }

  private static ArrayNode slice(JsonNode rows, int from, int to) {
    ArrayNode out = Fixtures.JSON.createArrayNode();
    for (int i = from; i < to; i++) out.add(rows.get(i % rows.size()));
    return out;
  }

  /** A TF Serving row-format predict body for rows [from, to). */
  static Map<String, Object> instances(int from, int to) {
    return Map.of("instances", pixels(from, to));
  }

  /** Asserts a 200 whose predictions match PyTorch's logits for rows [from, to). */
  static void assertDigits(HttpResponse<byte[]> r, int from, int to) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(Fixtures.maxAbsDiff(json(r).get("predictions"), logits(from, to)))
        .isLessThanOrEqualTo(1e-5);
  }

  /** Asserts the error contract: status, {"error", "code", "requestId"}, and the id header. */
  static JsonNode assertError(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(header(r, "Content-Type")).isEqualTo("application/json");
    JsonNode body = json(r);
    assertThat(body.size()).as(text(r)).isEqualTo(3);
    assertThat(body.get("error").isTextual()).as(text(r)).isTrue();
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("requestId").asText()).isNotBlank().isEqualTo(header(r, "X-Request-Id"));
    return body;
  }

  /** A response read off a raw socket. */
  record Raw(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Sends bytes as they are and reads one response (status line, headers, fixed-length body). */
  static Raw raw(Socket socket, String head) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; !(h = line(in)).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Raw(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
  }

  static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(address, 10_000);
    s.setSoTimeout(30_000);
    return s;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("connection closed mid-response");
      if (c != '\r') b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
