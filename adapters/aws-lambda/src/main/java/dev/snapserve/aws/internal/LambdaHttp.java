package dev.snapserve.aws.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Lambda event bytes in, Lambda response bytes out: the event is decoded with a streaming parser
 * and the response written in the shape its source expects (ALB adds a status description and, with
 * multi-value headers on, must answer with them).
 */
public final class LambdaHttp {
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private LambdaHttp() {}

  public static void handle(
      InferenceService service, InputStream in, OutputStream out, String awsRequestId)
      throws IOException {
    Decoded d = decode(in, awsRequestId);
    write(d.event(), d.serve(service, service::handle), out);
  }

  /**
   * Primes {@code service} through this whole path: every priming request travels as an API Gateway
   * HTTP API event and its response is written as Lambda would return it (to nowhere).
   */
  public static int prime(InferenceService service, int iterations) {
    int[] sent = new int[1];
    return service.prime(
        iterations,
        (request, serve) -> {
          boolean pretty = sent[0]++ % 2 == 1; // events arrive compact or pretty-printed
          try {
            byte[] event = LambdaEvent.httpApiEvent(request, pretty);
            Decoded d = decode(new ByteArrayInputStream(event), request.requestId());
            ServeResponse response = d.serve(service, serve);
            write(d.event(), response, OutputStream.nullOutputStream());
            return response;
          } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams
          }
        });
  }

  /** An event and its request, or why the event cannot be served. */
  private record Decoded(
      LambdaEvent event, ServeRequest request, SnapserveException error, String requestId) {
    ServeResponse serve(InferenceService service, Function<ServeRequest, ServeResponse> handler) {
      return error == null
          ? handler.apply(request)
          : service.errorResponse(error.code(), error.getMessage(), requestId);
    }
  }

  private static Decoded decode(InputStream in, String awsRequestId) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      LambdaEvent event = LambdaEvent.read(p);
      if (event.source() == LambdaEvent.Source.UNKNOWN) {
        throw SnapserveException.invalid(
            "unrecognized event: expected an HTTP request event from API Gateway (REST or HTTP"
                + " API), a Lambda Function URL or an Application Load Balancer");
      }
      return new Decoded(event, event.toServeRequest(awsRequestId), null, awsRequestId);
    } catch (JsonProcessingException e) {
      SnapserveException error = SnapserveException.invalid("the event is not valid JSON");
      return new Decoded(new LambdaEvent(), null, error, awsRequestId);
    } catch (SnapserveException e) {
      return new Decoded(new LambdaEvent(), null, e, awsRequestId);
    }
  }

  static void write(LambdaEvent event, ServeResponse r, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("statusCode", r.status());
      if (event.source() == LambdaEvent.Source.ALB) {
        g.writeStringField("statusDescription", r.status() + " " + reason(r.status()));
      }
      if (event.multiValueHeaders()) {
        g.writeObjectFieldStart("multiValueHeaders");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
          g.writeArrayFieldStart(h.getKey());
          g.writeString(h.getValue());
          g.writeEndArray();
        }
      } else {
        g.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
          g.writeStringField(h.getKey(), h.getValue());
        }
      }
      g.writeEndObject();
      g.writeFieldName("body");
      g.writeUTF8String(r.body(), 0, r.body().length);
      g.writeBooleanField("isBase64Encoded", false);
      g.writeEndObject();
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
