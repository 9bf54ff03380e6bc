package dev.snapserve.functions;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A transport-neutral HTTP response: status, headers and a JSON body. */
public record ServeResponse(int status, Map<String, String> headers, byte[] body) {
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
