package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/** Writes predict responses in the protocol the request used. */
final class PredictEncoder {
  private PredictEncoder() {}

  static byte[] encode(PredictCall call, List<OutputTensor> outputs, OrtModel model) {
    return Json.write(
        g -> {
          switch (call.protocol) {
            case TF_ROW -> rows(g, outputs);
            case TF_COLUMNAR -> columns(g, outputs);
            case OIP -> oip(g, call, outputs, model);
          }
        });
  }

  /** {"predictions": [...]}: one entry per example; an object per example when several outputs. */
  private static void rows(JsonGenerator g, List<OutputTensor> outputs) throws IOException {
    g.writeStartObject();
    g.writeFieldName("predictions");
    g.writeStartArray();
    long batch = outputs.get(0).shape.length == 0 ? 1 : outputs.get(0).shape[0];
    for (int row = 0; row < batch; row++) {
      if (outputs.size() == 1) {
        writeRow(g, outputs.get(0), row);
      } else {
        g.writeStartObject();
        for (OutputTensor o : outputs) {
          g.writeFieldName(o.name);
          writeRow(g, o, row);
        }
        g.writeEndObject();
      }
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeRow(JsonGenerator g, OutputTensor o, int row) throws IOException {
    if (o.shape.length == 0) o.writeNested(g, 0, 0);
    else o.writeNested(g, 1, row * o.rowStride());
  }

  /** {"outputs": tensor} or {"outputs": {name: tensor, ...}}. */
  private static void columns(JsonGenerator g, List<OutputTensor> outputs) throws IOException {
    g.writeStartObject();
    g.writeFieldName("outputs");
    if (outputs.size() == 1) {
      outputs.get(0).writeNested(g, 0, 0);
    } else {
      g.writeStartObject();
      for (OutputTensor o : outputs) {
        g.writeFieldName(o.name);
        o.writeNested(g, 0, 0);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void oip(JsonGenerator g, PredictCall call, List<OutputTensor> outputs, OrtModel m)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("model_name", m.name());
    g.writeStringField("model_version", m.version());
    if (call.id != null) g.writeStringField("id", call.id);
    g.writeFieldName("outputs");
    g.writeStartArray();
    for (OutputTensor o : outputs) {
      g.writeStartObject();
      g.writeStringField("name", o.name);
      g.writeStringField("datatype", o.datatype.name());
      g.writeFieldName("shape");
      g.writeArray(o.shape, 0, o.shape.length);
      g.writeFieldName("data");
      o.writeFlat(g, 0, (int) o.elements());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
