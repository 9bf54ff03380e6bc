package dev.snapserve.gcp.internal;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Functions Framework HTTP to and from {@link ServeRequest}/{@link ServeResponse}. Routes, errors
 * and JSON all live in snapserve-functions; the body is read through {@link
 * InferenceService#readBody}, which refuses an oversized one before reading it all.
 */
public final class FunctionsHttp {
  public static final String TRACE_HEADER = "x-cloud-trace-context";
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{1,32}");

  private FunctionsHttp() {}

  /** Converts, serves and never throws for anything a caller sends. */
  public static ServeResponse handle(InferenceService service, HttpRequest request) {
    Map<String, String> headers = firstValues(request.getHeaders());
    String requestId = traceId(headers.get(TRACE_HEADER));
    byte[] body;
    try {
      body = service.readBody(request.getInputStream(), request.getContentLength());
    } catch (SnapserveException e) {
      return service.errorResponse(e.code(), e.getMessage(), requestId);
    } catch (IOException e) {
      return service.errorResponse(
          ErrorCode.INVALID_INPUT, "the request body could not be read", requestId);
    }
    return service.handle(
        ServeRequest.of(request.getMethod(), request.getPath(), headers, body, requestId));
  }

  /** Status, headers and body, in that order. */
  public static void write(ServeResponse response, HttpResponse out) throws IOException {
    out.setStatusCode(response.status());
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) out.setContentType(h.getValue());
      else out.appendHeader(h.getKey(), h.getValue());
    }
    out.getOutputStream().write(response.body());
  }

  /**
   * The trace id of an {@code X-Cloud-Trace-Context} value ({@code TRACE_ID/SPAN_ID;o=OPTIONS},
   * span and options optional), or null when absent or not hex (it is echoed in a header).
   */
  public static String traceId(String header) {
    if (header == null) return null;
    int end = header.length();
    int slash = header.indexOf('/');
    int semicolon = header.indexOf(';');
    if (slash >= 0) end = slash;
    if (semicolon >= 0 && semicolon < end) end = semicolon;
    String id = header.substring(0, end).trim();
    return TRACE_ID.matcher(id).matches() ? id : null;
  }

  /** Lower-case names, first value of each. */
  static Map<String, String> firstValues(Map<String, List<String>> headers) {
    Map<String, String> first = new HashMap<>(headers.size() * 2);
    headers.forEach(
        (name, values) -> {
          if (values != null && !values.isEmpty()) {
            first.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
          }
        });
    return first;
  }
}
