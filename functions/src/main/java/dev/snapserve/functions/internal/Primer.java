package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.InferenceService;
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
 * first real request: per model its OIP and TF Serving routes, and per API version its {@code
 * /vN/predict} route. Requests go through the adapter's transport, so its event decoding and
 * response encoding are warm too. A request that fails here means the model cannot serve: it is an
 * error.
 */
final class Primer {
  /** Dynamic non-batch dimensions get this size in synthesized inputs. */
  private static final int DYNAMIC_DIM = 4;

  private static final RequestListener SILENT = o -> {};

  private Primer() {}

  /** Requests per iteration; returns how many ran. */
  static int prime(Engine engine, int iterations, InferenceService.Transport transport) {
    List<ServeRequest> requests = new ArrayList<>();
    for (OrtModel m : engine.registry().all()) {
      String base = m.name() + "/versions/" + m.version();
      requests.add(post("/v2/models/" + base + "/infer", oipBody(m)));
      requests.add(post("/v1/models/" + base + ":predict", tfBody(m)));
    }
    for (Map.Entry<String, List<Router.Target>> route : engine.router().routes().entrySet()) {
      // one body must fit whichever target (e.g. a canary) the route picks
      List<OrtModel> targets =
          route.getValue().stream()
              .map(t -> engine.registry().resolve(t.model(), t.versionOrLabel()))
              .toList();
      if (targets.stream().map(OrtModel::signature).distinct().count() == 1) {
        requests.add(post("/" + route.getKey() + "/predict", tfBody(targets.get(0))));
      }
    }
    int ran = 0;
    for (int i = 0; i < iterations; i++) {
      for (ServeRequest r : requests) {
        ServeResponse response = transport.roundTrip(r, req -> engine.handle(req, SILENT));
        if (response == null) {
          throw new SnapserveException(
              ErrorCode.MODEL_LOAD, "priming " + r.path() + ": the adapter did not serve it");
        }
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
            for (long i = PredictDecoder.elements(shape); i > 0; i--) element(g, t.datatype(), i);
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
      element(g, type, 0);
      return;
    }
    g.writeStartArray();
    for (long i = 0; i < shape[dim]; i++) {
      if (dim == shape.length - 1) element(g, type, i);
      else nested(g, type, shape, dim + 1);
    }
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

  /**
   * Harmless values: zero for integer inputs (always a valid index), and for floating-point inputs
   * a cycle of integral, fractional and negative numbers with different leading digits, so the
   * parser paths real inputs take are the ones compiled while priming.
   */
  private static final double[] FP_VALUES = {0, 0.5, 1, -2.25, 13, 0.0625, 7};

  private static void element(JsonGenerator g, DataType type, long i) throws IOException {
    switch (type) {
      case BOOL -> g.writeBoolean(false);
      case BYTES -> g.writeString("");
      case FP32, FP64 -> {
        double v = FP_VALUES[(int) (i % FP_VALUES.length)];
        if (v == Math.rint(v)) g.writeNumber((int) v);
        else g.writeNumber(v);
      }
      default -> g.writeNumber(0);
    }
  }
}
