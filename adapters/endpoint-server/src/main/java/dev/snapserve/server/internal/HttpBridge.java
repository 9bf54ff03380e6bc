package dev.snapserve.server.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP handler: converts an {@link HttpExchange} to a {@link ServeRequest}, lets the
 * service answer it, and writes the {@link ServeResponse} back with a fixed-length body. Owns only
 * what the transport must: the body size cap, HEAD, connection handling, and the SageMaker aliases.
 */
public final class HttpBridge implements HttpHandler {
  /** SageMaker's container contract: health check, answered like the readiness route. */
  public static final String PING = "/ping";

  /** SageMaker's container contract: inference, answered like {@code POST /v1/predict}. */
  public static final String INVOCATIONS = "/invocations";

  /** Caller-supplied request ids longer than this are ignored (one is generated instead). */
  static final int MAX_REQUEST_ID_LENGTH = 128;

  private final InferenceService service;
  private final long maxPayloadBytes;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  public HttpBridge(InferenceService service, long maxPayloadBytes) {
    this.service = service;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** Requests being handled right now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** From now on every response closes its connection, so keep-alive clients let go. */
  public void drain() {
    draining = true;
  }

  @Override
  public void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    try {
      exchange(exchange);
    } catch (IOException e) {
      // the client went away mid-request or mid-response: nobody is left to answer
    } catch (RuntimeException e) {
      // a bug of ours; the JDK server would drop it silently and close the connection
      System.err.println(
          "snapserve: "
              + exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI()
              + " failed in the HTTP layer");
      e.printStackTrace();
    } finally {
      exchange.close();
      inFlight.decrementAndGet();
    }
  }

  private void exchange(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (path == null || path.isEmpty()) path = "/";
    Map<String, String> headers = firstValues(exchange.getRequestHeaders());
    String requestId = requestId(exchange.getRequestHeaders().getFirst("X-Request-Id"));

    // refuse an announced oversize body before reading any of it
    long declared = contentLength(exchange.getRequestHeaders());
    if (declared > maxPayloadBytes) {
      respond(exchange, tooLarge(declared + " bytes", requestId), true);
      return;
    }
    byte[] body = readBody(exchange.getRequestBody(), declared);
    if (body == null) {
      respond(exchange, tooLarge("more than " + maxPayloadBytes + " bytes", requestId), true);
      return;
    }

    ServeResponse response;
    switch (path) {
      case PING -> {
        response = requireMethod(method, path, "GET", requestId);
        if (response == null) path = "/v2/health/ready";
      }
      case INVOCATIONS -> {
        response = requireMethod(method, path, "POST", requestId);
        if (response == null) path = "/v1/predict";
      }
      default -> response = null;
    }
    if (response == null) {
      ServeRequest request = ServeRequest.of(method, path, headers, body, requestId);
      try {
        response = service.handle(request);
      } catch (RuntimeException | LinkageError e) {
        // the service promises never to throw; if it does, answer like it would have
        System.err.println("snapserve: request " + requestId + " failed unexpectedly");
        e.printStackTrace();
        response =
            InferenceService.errorResponse(
                ErrorCode.INTERNAL,
                "internal error; see the service log",
                requestId != null ? requestId : newRequestId());
      }
    }
    respond(exchange, response, false);
  }

  /**
   * Reads the body, never more than the limit plus one byte; null when it is over the limit. A
   * declared length within the limit is read exactly; a chunked body up to the cap.
   */
  private byte[] readBody(InputStream in, long declared) throws IOException {
    if (declared == 0) return new byte[0];
    int cap = (int) Math.min(maxPayloadBytes + 1, Integer.MAX_VALUE - 8);
    byte[] body = in.readNBytes(declared > 0 ? (int) declared : cap);
    return body.length > maxPayloadBytes ? null : body;
  }

  private ServeResponse tooLarge(String size, String requestId) {
    return InferenceService.errorResponse(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "request body is "
            + size
            + "; the limit is "
            + maxPayloadBytes
            + " (SNAPSERVE_MAX_PAYLOAD_BYTES)",
        requestId != null ? requestId : newRequestId());
  }

  /** The SageMaker aliases accept one method each (GET also answers HEAD). */
  private static ServeResponse requireMethod(
      String actual, String path, String allowed, String requestId) {
    if (actual.equals(allowed) || (allowed.equals("GET") && actual.equals("HEAD"))) return null;
    ServeResponse error =
        InferenceService.errorResponse(
            ErrorCode.METHOD_NOT_ALLOWED,
            actual + " is not allowed on " + path + "; use " + allowed,
            requestId != null ? requestId : newRequestId());
    Map<String, String> headers = new HashMap<>(error.headers());
    headers.put("Allow", allowed);
    return new ServeResponse(error.status(), headers, error.body());
  }

  /**
   * Writes status, headers and a fixed-length body. {@code bodyUnread}: the request body was not
   * (fully) read, so the connection cannot carry another request and is closed after this one.
   */
  private void respond(HttpExchange exchange, ServeResponse response, boolean bodyUnread)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    response.headers().forEach(out::set);
    if (bodyUnread || draining) out.set("Connection", "close");
    byte[] body = response.body();
    if (exchange.getRequestMethod().equals("HEAD")) {
      // the length a GET would have; the JDK server sends no body for HEAD when told -1
      out.set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    // -1 means "no body"; 0 would mean chunked, which this server never sends
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static Map<String, String> firstValues(Headers headers) {
    Map<String, String> first = new HashMap<>(headers.size() * 2);
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (!e.getValue().isEmpty()) first.put(e.getKey(), e.getValue().get(0));
    }
    return first;
  }

  /** The declared body length, or -1 when none is declared (chunked). */
  private static long contentLength(Headers headers) {
    if (headers.containsKey("Transfer-encoding")) return -1;
    String v = headers.getFirst("Content-length");
    if (v == null) return 0; // the JDK server treats a missing length as an empty body
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0; // unreachable: the JDK server rejects a malformed length before any handler
    }
  }

  private static String requestId(String header) {
    if (header == null) return null;
    String id = header.trim();
    return id.isEmpty() || id.length() > MAX_REQUEST_ID_LENGTH ? null : id;
  }

  /** An id for answers the transport gives without the service (which generates its own). */
  private static String newRequestId() {
    return UUID.randomUUID().toString();
  }
}
