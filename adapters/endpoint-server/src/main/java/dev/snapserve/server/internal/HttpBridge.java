package dev.snapserve.server.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  public HttpBridge(InferenceService service) {
    this.service = service;
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

    // an oversize body is refused without being read in full (an announced one, not at all)
    byte[] body;
    try {
      body =
          service.readBody(exchange.getRequestBody(), contentLength(exchange.getRequestHeaders()));
    } catch (SnapserveException e) {
      respond(exchange, service.errorResponse(e.code(), e.getMessage(), requestId), true);
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
            service.errorResponse(
                ErrorCode.INTERNAL, "internal error; see the service log", requestId);
      }
    }
    respond(exchange, response, false);
  }

  /** The SageMaker aliases accept one method each (GET also answers HEAD). */
  private ServeResponse requireMethod(
      String actual, String path, String allowed, String requestId) {
    if (actual.equals(allowed) || (allowed.equals("GET") && actual.equals("HEAD"))) return null;
    ServeResponse error =
        service.errorResponse(
            ErrorCode.METHOD_NOT_ALLOWED,
            actual + " is not allowed on " + path + "; use " + allowed,
            requestId);
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
}
