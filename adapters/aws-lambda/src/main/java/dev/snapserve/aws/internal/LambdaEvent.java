package dev.snapserve.aws.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request event from API Gateway (HTTP API payload 2.0, REST API 1.0), a Lambda Function
 * URL or an Application Load Balancer, read with a streaming parser: only the fields we use are
 * materialized, the rest is skipped.
 */
public final class LambdaEvent {
  /** Where the event came from; decides the response shape. */
  public enum Source {
    HTTP_API,
    FUNCTION_URL,
    REST_API,
    ALB,
    UNKNOWN
  }

  private static final JsonFactory EVENTS = new JsonFactory();

  Source source = Source.UNKNOWN;
  String method;
  String path;
  final Map<String, String> headers = new HashMap<>();
  boolean multiValueHeaders;
  byte[] body;
  boolean base64;
  String requestId;
  private String version;
  private String stage;
  private boolean elb;
  private String domainName;
  private String contextMethod;

  public Source source() {
    return source;
  }

  /** True when an ALB target group has multi-value headers on: the response must use them too. */
  public boolean multiValueHeaders() {
    return multiValueHeaders;
  }

  /** Parses an event; a body that is not an HTTP event yields source UNKNOWN. */
  public static LambdaEvent read(JsonParser p) throws IOException {
    LambdaEvent e = new LambdaEvent();
    if (p.nextToken() != JsonToken.START_OBJECT) return e;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "version" -> e.version = text(p, v);
        case "rawPath" -> e.path = text(p, v);
        case "path" -> {
          if (e.path == null) e.path = text(p, v);
        }
        case "httpMethod" -> e.method = text(p, v);
        case "headers" -> e.readHeaders(p, false);
        case "multiValueHeaders" -> e.readHeaders(p, true);
        case "requestContext" -> e.readContext(p);
        case "body" -> e.body = utf8(p, v);
        case "isBase64Encoded" -> e.base64 = v == JsonToken.VALUE_TRUE;
        default -> p.skipChildren();
      }
    }
    e.classify();
    return e;
  }

  private void classify() {
    if ("2.0".equals(version) && contextMethod != null) {
      boolean url = domainName != null && domainName.contains(".lambda-url.");
      source = url ? Source.FUNCTION_URL : Source.HTTP_API;
      method = contextMethod;
      // a named stage prefixes rawPath ("/prod/v1/predict"); routes are stage-relative
      if (stage != null && !stage.equals("$default") && path != null) {
        String prefix = "/" + stage;
        if (path.startsWith(prefix + "/")) path = path.substring(prefix.length());
      }
    } else if (elb && method != null) {
      source = Source.ALB;
    } else if (method != null && path != null) {
      source = Source.REST_API;
    }
    // only ALB must answer in kind; API Gateway reads "headers"
    multiValueHeaders &= source == Source.ALB;
  }

  private void readHeaders(JsonParser p, boolean multi) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName().toLowerCase(Locale.ROOT);
      JsonToken v = p.nextToken();
      String value;
      if (v == JsonToken.START_ARRAY) {
        multiValueHeaders |= multi;
        value = null;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (value == null && p.currentToken() == JsonToken.VALUE_STRING) value = p.getText();
          else p.skipChildren();
        }
      } else {
        value = text(p, v);
      }
      // REST API events carry both maps; single-value "headers" wins
      if (value != null && (!multi || !headers.containsKey(name))) headers.put(name, value);
    }
  }

  private void readContext(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "requestId" -> requestId = text(p, v);
        case "stage" -> stage = text(p, v);
        case "domainName" -> domainName = text(p, v);
        case "elb" -> {
          elb = v == JsonToken.START_OBJECT;
          p.skipChildren();
        }
        case "http" -> {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken hv = p.nextToken();
            if ("method".equals(f)) contextMethod = text(p, hv);
            else p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) return null;
    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    return p.getText();
  }

  /**
   * A string value as UTF-8 bytes, encoded straight from the parser's buffer: a request body can be
   * megabytes, and a String in between would copy it twice more.
   */
  private static byte[] utf8(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      String text = text(p, v);
      return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
    Utf8Sink sink = new Utf8Sink(p.getTextLength());
    p.getText(sink);
    return sink.toByteArray();
  }

  /** Encodes the chars written to it as UTF-8; a surrogate pair may span two writes. */
  private static final class Utf8Sink extends Writer {
    private final CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer out;
    private char pending; // a high surrogate whose low half comes with the next write

    /** Sized for ASCII, the usual JSON body: then the bytes need no copy at the end. */
    Utf8Sink(int chars) {
      out = ByteBuffer.allocate(chars);
    }

    @Override
    public void write(char[] chars, int off, int len) {
      if (len == 0) return;
      if (pending != 0) {
        char[] pair = {pending, chars[off]};
        pending = 0;
        encode(CharBuffer.wrap(pair), false);
        off++;
        len--;
      }
      encode(CharBuffer.wrap(chars, off, len), false);
    }

    @Override
    public void write(String s, int off, int len) {
      write(s.toCharArray(), off, len);
    }

    private void encode(CharBuffer in, boolean end) {
      while (encoder.encode(in, out, end).isOverflow()) {
        out = ByteBuffer.allocate(out.capacity() + in.remaining() * 3 + 16).put(out.flip());
      }
      if (in.hasRemaining()) pending = in.get(); // only an unpaired high surrogate stays behind
    }

    byte[] toByteArray() {
      char[] rest = pending != 0 ? new char[] {pending} : new char[0];
      pending = 0;
      encode(CharBuffer.wrap(rest), true);
      while (encoder.flush(out).isOverflow()) {
        out = ByteBuffer.allocate(out.capacity() + 16).put(out.flip());
      }
      return out.position() == out.capacity()
          ? out.array()
          : Arrays.copyOf(out.array(), out.position());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * An API Gateway HTTP API (payload 2.0) event carrying {@code r}, shaped like the real thing (the
   * usual headers and request context, compact or pretty-printed), so priming with it walks the
   * parser paths real events take.
   */
  static byte[] httpApiEvent(ServeRequest r, boolean pretty) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = EVENTS.createGenerator(out)) {
      if (pretty) g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("version", "2.0");
      g.writeStringField("routeKey", "$default");
      g.writeStringField("rawPath", r.path());
      g.writeStringField("rawQueryString", "");
      g.writeObjectFieldStart("headers");
      g.writeStringField("accept", "*/*");
      g.writeStringField("content-length", String.valueOf(r.body().length));
      g.writeStringField("host", "prime.execute-api.local");
      g.writeStringField("user-agent", "snapserve-prime");
      g.writeStringField("x-amzn-trace-id", "Root=1-00000000-000000000000000000000000");
      g.writeStringField("x-forwarded-for", "127.0.0.1");
      g.writeStringField("x-forwarded-port", "443");
      g.writeStringField("x-forwarded-proto", "https");
      for (Map.Entry<String, String> h : r.headers().entrySet()) {
        g.writeStringField(h.getKey(), h.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("requestContext");
      g.writeStringField("accountId", "000000000000");
      g.writeStringField("apiId", "prime");
      g.writeStringField("domainName", "prime.execute-api.local");
      g.writeStringField("domainPrefix", "prime");
      g.writeObjectFieldStart("http");
      g.writeStringField("method", r.method());
      g.writeStringField("path", r.path());
      g.writeStringField("protocol", "HTTP/1.1");
      g.writeStringField("sourceIp", "127.0.0.1");
      g.writeStringField("userAgent", "snapserve-prime");
      g.writeEndObject();
      if (r.requestId() != null) g.writeStringField("requestId", r.requestId());
      g.writeStringField("routeKey", "$default");
      g.writeStringField("stage", "$default");
      g.writeStringField("time", "01/Jan/2026:00:00:00 +0000");
      g.writeNumberField("timeEpoch", 1_767_225_600_000L);
      g.writeEndObject();
      g.writeStringField("body", new String(r.body(), StandardCharsets.UTF_8));
      g.writeBooleanField("isBase64Encoded", false);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return out.toByteArray();
  }

  /** The transport-neutral request; {@code fallbackId} is used when the event carries none. */
  public ServeRequest toServeRequest(String fallbackId) {
    byte[] bytes = body;
    if (body != null && base64) {
      try {
        bytes = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException ex) {
        throw SnapserveException.invalid("the event body is marked base64 but is not valid base64");
      }
    }
    // header names are lower-cased already and event paths carry no query string: no copy needed
    return new ServeRequest(
        method.toUpperCase(Locale.ROOT),
        path,
        headers,
        bytes == null ? new byte[0] : bytes,
        requestId != null ? requestId : fallbackId);
  }
}
