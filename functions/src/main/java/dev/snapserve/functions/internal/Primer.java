package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.ServeResponse;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warm-up through the whole request path (decode, validate, run, encode) with zero-valued inputs
 * synthesized from each signature, so the JIT and ONNX Runtime's allocations are hot before the
 * first real request. A request that fails here means the model cannot serve: it is an error.
 */
final class Primer {
  /** Dynamic non-batch dimensions get this size in synthesized inputs. */
  private static final int DYNAMIC_DIM = 4;

  private static final RequestListener SILENT = o -> {};

  private Primer() {}

  /** Requests per iteration; returns how many ran. */
  static int prime(Engine engine, int iterations) {
    List<ServeRequest> requests = new ArrayList<>();
    for (OrtModel m : engine.registry().all()) {
      String base = m.name() + "/versions/" + m.version();
      requests.add(post("/v2/models/" + base + "/infer", oipBody(m)));
      requests.add(post("/v1/models/" + base + ":predict", tfBody(m)));
    }
    int ran = 0;
    for (int i = 0; i < iterations; i++) {
      for (ServeRequest r : requests) {
        ServeResponse response = engine.handle(r, SILENT);
        if (response.status() != 200) {
          throw new SnapserveException(
              ErrorCode.MODEL_LOAD,
              "priming "
                  + r.path()
                  + " failed with "
                  + response.status()
                  + ": "
                  + response.bodyText());
        }
        ran++;
      }
    }
    return ran;
  }

  private static ServeRequest post(String path, byte[] body) {
    return ServeRequest.of("POST", path, Map.of("content-type", "application/json"), body, "prime");
  }

  private static byte[] oipBody(OrtModel m) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("inputs");
          for (TensorSpec t : m.signature().inputs()) {
            long[] shape = shape(t);
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeFieldName("shape");
            g.writeArray(shape, 0, shape.length);
            g.writeStringField("datatype", t.datatype().name());
            g.writeArrayFieldStart("data");
            for (long i = PredictDecoder.elements(shape); i > 0; i--) zero(g, t.datatype());
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /**
   * Row format, one instance per index of dimension 0 (1 where it is dynamic, the fixed size where
   * it is not: the decoder prepends the instance count, so an instance never carries dimension 0);
   * objects keyed by input name work for any number of inputs. Inputs that cannot share an instance
   * count (a scalar, or different fixed sizes of dimension 0) use the columnar format.
   */
  private static byte[] tfBody(OrtModel m) {
    List<TensorSpec> inputs = m.signature().inputs();
    long rows = -1;
    boolean rowFormat = true;
    for (TensorSpec t : inputs) {
      long[] s = shape(t);
      if (s.length == 0 || (rows >= 0 && rows != s[0])) rowFormat = false;
      else rows = s[0];
    }
    long instances = rows;
    return rowFormat
        ? Json.write(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("instances");
              for (long i = 0; i < instances; i++) {
                g.writeStartObject();
                for (TensorSpec t : inputs) {
                  g.writeFieldName(t.name());
                  nested(g, t.datatype(), shape(t), 1);
                }
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            })
        : Json.write(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("inputs");
              for (TensorSpec t : inputs) {
                g.writeFieldName(t.name());
                nested(g, t.datatype(), shape(t), 0);
              }
              g.writeEndObject();
              g.writeEndObject();
            });
  }

  private static void nested(JsonGenerator g, DataType type, long[] shape, int dim)
      throws IOException {
    if (dim == shape.length) {
      zero(g, type);
      return;
    }
    g.writeStartArray();
    for (long i = 0; i < shape[dim]; i++) nested(g, type, shape, dim + 1);
    g.writeEndArray();
  }

  private static long[] shape(TensorSpec t) {
    long[] s = new long[t.rank()];
    for (int d = 0; d < s.length; d++) {
      long v = t.shape().get(d);
      s[d] = v >= 0 ? v : d == 0 ? 1 : DYNAMIC_DIM;
    }
    return s;
  }

  private static void zero(JsonGenerator g, DataType type) throws IOException {
    switch (type) {
      case BOOL -> g.writeBoolean(false);
      case BYTES -> g.writeString("");
      default -> g.writeNumber(0);
    }
  }
}
