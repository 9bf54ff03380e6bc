package dev.snapserve.aws.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.RequestOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

/**
 * One structured JSON log line per request that is also a CloudWatch Embedded Metric Format
 * document: CloudWatch extracts Latency, BatchSize and Errors per model version from it with no API
 * calls and no agent. Written directly (no Powertools): see the README for why.
 *
 * <p>The line is written as UTF-8 bytes in one call (lines stay whole under concurrency), and the
 * metric directive, which only depends on the namespace, is rendered once.
 */
public final class EmfListener implements RequestListener {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private static final RequestOutcome WARM_UP =
      new RequestOutcome("init", "/", "none", "none", 200, null, 1, 1_234_567, null);

  private final String directive;
  private final PrintStream out;
  private final LongSupplier clock;

  public EmfListener(String namespace, PrintStream out, LongSupplier epochMillis) {
    this.directive = directive(namespace);
    this.out = out;
    this.clock = epochMillis;
    line(WARM_UP); // loads the formatting code now, not during the first request
  }

  @Override
  public void onRequest(RequestOutcome o) {
    byte[] line = line(o);
    out.write(line, 0, line.length);
    if (o.failure() != null) o.failure().printStackTrace(out);
  }

  /** The log line, newline included. */
  private byte[] line(RequestOutcome o) {
    ByteArrayBuilder line = new ByteArrayBuilder(JSON._getBufferRecycler(), 512);
    try (JsonGenerator g = JSON.createGenerator(line)) {
      g.writeStartObject();
      g.writeObjectFieldStart("_aws");
      g.writeNumberField("Timestamp", clock.getAsLong());
      g.writeFieldName("CloudWatchMetrics");
      g.writeRawValue(directive);
      g.writeEndObject();
      g.writeStringField(
          "level", o.status() >= 500 ? "ERROR" : o.status() >= 400 ? "WARN" : "INFO");
      g.writeStringField("message", "request");
      g.writeStringField("requestId", o.requestId());
      g.writeStringField("route", o.route());
      g.writeNumberField("status", o.status());
      if (o.errorCode() != null) g.writeStringField("code", o.errorCode().name());
      g.writeStringField("Model", o.model() == null ? "none" : o.model());
      g.writeStringField("ModelVersion", o.version() == null ? "none" : o.version());
      g.writeNumberField("Latency", o.latencyNanos() / 1e6);
      g.writeNumberField("BatchSize", o.batchSize());
      g.writeNumberField("Errors", o.status() >= 400 ? 1 : 0);
      if (o.failure() != null) g.writeStringField("error", o.failure().toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    line.write('\n');
    return line.getClearAndRelease();
  }

  /** {@code [{"Namespace":..., "Dimensions":[["Model","ModelVersion"]], "Metrics":[...]}]}. */
  private static String directive(String namespace) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringField("Namespace", namespace);
      g.writeArrayFieldStart("Dimensions");
      g.writeStartArray();
      g.writeString("Model");
      g.writeString("ModelVersion");
      g.writeEndArray();
      g.writeEndArray();
      g.writeArrayFieldStart("Metrics");
      metric(g, "Latency", "Milliseconds");
      metric(g, "BatchSize", "Count");
      metric(g, "Errors", "Count");
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void metric(JsonGenerator g, String name, String unit) throws IOException {
    g.writeStartObject();
    g.writeStringField("Name", name);
    g.writeStringField("Unit", unit);
    g.writeEndObject();
  }
}
