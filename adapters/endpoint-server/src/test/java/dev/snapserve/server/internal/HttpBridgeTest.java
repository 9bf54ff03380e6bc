package dev.snapserve.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge against a fake exchange: what it reads, what it sends, how it frames it. */
class HttpBridgeTest {
  static final long LIMIT = 1000;
  static InferenceService service;

  @BeforeAll
  static void load() {
    service =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.demo()))
                .withMaxPayloadBytes(LIMIT));
  }

  @AfterAll
  static void close() {
    service.close();
  }

  @Test
  void endlessChunkedBodyIsReadOnlyToTheLimitPlusOne() {
    CountingStream endless = new CountingStream(Long.MAX_VALUE);
    FakeExchange x = new FakeExchange("POST", "/v1/predict", endless);
    x.requestHeaders.add("Transfer-Encoding", "chunked");
    new HttpBridge(service).handle(x);

    assertThat(endless.read).isEqualTo(LIMIT + 1);
    assertThat(x.status).isEqualTo(413);
    assertThat(x.responseHeaders.getFirst("Connection")).isEqualTo("close");
    assertThat(Fixtures.json(x.body.toByteArray()).get("code").asText())
        .isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(x.closed).isTrue();
  }

  @Test
  void announcedOversizeBodyIsNotReadAtAll() {
    CountingStream body = new CountingStream(5000);
    FakeExchange x = new FakeExchange("POST", "/v1/predict", body);
    x.requestHeaders.add("Content-Length", "5000");
    x.requestHeaders.add("X-Request-Id", "big-1");
    new HttpBridge(service).handle(x);

    assertThat(body.read).isZero();
    assertThat(x.status).isEqualTo(413);
    assertThat(x.declaredLength).isEqualTo(x.body.size());
    assertThat(Fixtures.json(x.body.toByteArray()).get("requestId").asText()).isEqualTo("big-1");
  }

  @Test
  void bodyWithinTheLimitIsForwardedWithHeadersAndRawPathWithoutQuery() {
    byte[] json = Fixtures.bytes(java.util.Map.of("instances", List.of(new int[64])));
    FakeExchange x =
        new FakeExchange("POST", "/v1/predict?verbose=1", new ByteArrayInputStream(json));
    x.requestHeaders.add("Content-Length", Integer.toString(json.length));
    x.requestHeaders.add("content-type", "application/json");
    x.requestHeaders.add("X-Request-Id", "  id-7 ");
    new HttpBridge(service).handle(x);

    assertThat(x.status).as(x.body.toString()).isEqualTo(200);
    assertThat(x.declaredLength).isEqualTo(x.body.size()).isPositive();
    assertThat(x.responseHeaders.getFirst("X-Request-Id")).isEqualTo("id-7");
    assertThat(x.responseHeaders.getFirst("X-Model-Name")).isEqualTo("digits");
    assertThat(x.responseHeaders.containsKey("Connection")).isFalse();
  }

  @Test
  void overlongRequestIdIsReplaced() {
    FakeExchange x = new FakeExchange("GET", "/v2/health/ready", InputStream.nullInputStream());
    x.requestHeaders.add("X-Request-Id", "x".repeat(HttpBridge.MAX_REQUEST_ID_LENGTH + 1));
    new HttpBridge(service).handle(x);
    assertThat(x.status).isEqualTo(200);
    assertThat(x.responseHeaders.getFirst("X-Request-Id")).isNotBlank().hasSizeLessThan(100);
  }

  @Test
  void headSendsTheLengthOfAGetAndNoBody() {
    FakeExchange get = new FakeExchange("GET", "/v2/health/ready", InputStream.nullInputStream());
    new HttpBridge(service).handle(get);
    FakeExchange head = new FakeExchange("HEAD", "/v2/health/ready", InputStream.nullInputStream());
    new HttpBridge(service).handle(head);

    assertThat(head.status).isEqualTo(200);
    assertThat(head.declaredLength).isEqualTo(-1);
    assertThat(head.body.size()).isZero();
    assertThat(head.responseHeaders.getFirst("Content-Length"))
        .isEqualTo(Integer.toString(get.body.size()));
  }

  @Test
  void whileDrainingEveryResponseClosesItsConnection() {
    HttpBridge bridge = new HttpBridge(service);
    bridge.drain();
    FakeExchange x = new FakeExchange("GET", "/ping", InputStream.nullInputStream());
    bridge.handle(x);
    assertThat(x.status).isEqualTo(200);
    assertThat(x.responseHeaders.getFirst("Connection")).isEqualTo("close");
    assertThat(bridge.inFlight()).isZero();
  }

  /** Yields {@code length} bytes of JSON-ish filler, counting how many were consumed. */
  static final class CountingStream extends InputStream {
    final long length;
    long read;

    CountingStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (read >= length) return -1;
      read++;
      return ' ';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) return 0;
      if (read >= length) return -1;
      int n = (int) Math.min(len, length - read);
      java.util.Arrays.fill(b, off, off + n, (byte) ' ');
      read += n;
      return n;
    }
  }

  static final class FakeExchange extends HttpExchange {
    final Headers requestHeaders = new Headers();
    final Headers responseHeaders = new Headers();
    final String method;
    final URI uri;
    final InputStream in;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status = -1;
    long declaredLength = Long.MIN_VALUE;
    boolean closed;

    FakeExchange(String method, String uri, InputStream in) {
      this.method = method;
      this.uri = URI.create(uri);
      this.in = in;
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return method;
    }

    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      return body;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
      if (status != -1) throw new IllegalStateException("headers sent twice");
      status = rCode;
      declaredLength = responseLength;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return null;
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return null;
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
