package dev.snapserve.functions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A transport-neutral HTTP request, as every adapter hands it to {@link InferenceService}.
 *
 * @param method HTTP method, upper case
 * @param path path without query string
 * @param headers header names in lower case (see {@link #of})
 * @param body raw body bytes, never null
 * @param requestId the platform's request id (Lambda's, a load balancer's), or null to generate
 */
public record ServeRequest(
    String method, String path, Map<String, String> headers, byte[] body, String requestId) {

  private static final byte[] EMPTY = new byte[0];

  /** Builds a request, lower-casing header names and dropping any query string from the path. */
  public static ServeRequest of(
      String method, String path, Map<String, String> headers, byte[] body, String requestId) {
    Map<String, String> lower = new HashMap<>(headers == null ? 8 : headers.size() * 2);
    if (headers != null) {
      headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    }
    int q = path.indexOf('?');
    return new ServeRequest(
        method.toUpperCase(Locale.ROOT),
        q < 0 ? path : path.substring(0, q),
        lower,
        body == null ? EMPTY : body,
        requestId);
  }

  /** A header by lower-case name, or null. */
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }
}
