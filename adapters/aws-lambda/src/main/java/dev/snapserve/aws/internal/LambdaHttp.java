package dev.snapserve.aws.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

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
    LambdaEvent event;
    ServeResponse response;
    try (JsonParser p = JSON.createParser(in)) {
      event = LambdaEvent.read(p);
      if (event.source() == LambdaEvent.Source.UNKNOWN) {
        throw SnapserveException.invalid(
            "unrecognized event: expected an HTTP request event from API Gateway (REST or HTTP"
                + " API), a Lambda Function URL or an Application Load Balancer");
      }
      response = service.handle(event.toServeRequest(awsRequestId));
    } catch (JsonProcessingException e) {
      event = new LambdaEvent();
      response =
          service.errorResponse(
              ErrorCode.INVALID_INPUT, "the event is not valid JSON", awsRequestId);
    } catch (SnapserveException e) {
      event = new LambdaEvent();
      response = service.errorResponse(e.code(), e.getMessage(), awsRequestId);
    }
    write(event, response, out);
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
