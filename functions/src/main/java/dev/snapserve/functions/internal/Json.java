package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON factory of the request path, tuned for numeric arrays. */
public final class Json {
  /** NaN/Infinity tokens parse, so the non-finite policy (not the parser) decides. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private Json() {}

  /** Writes a JSON document with the given body writer and returns its bytes. */
  public static byte[] write(Body body) {
    ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory: cannot happen
    }
    return out.getClearAndRelease(); // the buffer goes back to the recycler for the next request
  }

  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }
}
