package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.snapserve.functions.TensorSpec;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** Status and metadata bodies for the TF Serving and Open Inference Protocol routes. */
final class Metadata {
  static final String SERVER_VERSION = "0.1.0";

  private Metadata() {}

  /** GET /v1/models/{name}: TF Serving's GetModelStatus. */
  static byte[] tfStatus(List<OrtModel> versions) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("model_version_status");
          for (OrtModel m : versions) {
            g.writeStartObject();
            g.writeStringField("version", m.version());
            g.writeStringField("state", "AVAILABLE");
            g.writeObjectFieldStart("status");
            g.writeStringField("error_code", "OK");
            g.writeStringField("error_message", "");
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** GET /v1/models/{name}/metadata: the signature, as {@code saved_model_cli show} reports it. */
  static byte[] tfServing(OrtModel m) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("model_spec");
          g.writeStringField("name", m.name());
          g.writeStringField("signature_name", "");
          g.writeStringField("version", m.version());
          g.writeEndObject();
          g.writeObjectFieldStart("metadata");
          g.writeObjectFieldStart("signature_def");
          g.writeObjectFieldStart("signature_def");
          g.writeObjectFieldStart("serving_default");
          tfTensors(g, "inputs", m.signature().inputs());
          tfTensors(g, "outputs", m.signature().outputs());
          g.writeStringField("method_name", "tensorflow/serving/predict");
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
          labels(g, m);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** "labels": [...], when the manifest has class labels. */
  private static void labels(JsonGenerator g, OrtModel m) throws IOException {
    if (m.manifest().labels() == null) return;
    g.writeArrayFieldStart("labels");
    for (String l : m.manifest().labels()) g.writeString(l);
    g.writeEndArray();
  }

  private static void tfTensors(JsonGenerator g, String field, List<TensorSpec> specs)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (TensorSpec t : specs) {
      g.writeObjectFieldStart(t.name());
      g.writeStringField("dtype", t.datatype().tensorflowName());
      g.writeObjectFieldStart("tensor_shape");
      g.writeArrayFieldStart("dim");
      for (long d : t.shape()) {
        g.writeStartObject();
        g.writeStringField("size", Long.toString(d));
        g.writeStringField("name", "");
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeBooleanField("unknown_rank", false);
      g.writeEndObject();
      g.writeStringField("name", t.name());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** GET /v2: server metadata. */
  static byte[] oipServer() {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("name", "snapserve");
          g.writeStringField("version", SERVER_VERSION);
          g.writeArrayFieldStart("extensions");
          g.writeString("model_repository");
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  static byte[] health(String what) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeBooleanField(what, true);
          g.writeEndObject();
        });
  }

  static byte[] modelReady(OrtModel m) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("name", m.name());
          g.writeStringField("version", m.version());
          g.writeBooleanField("ready", true);
          g.writeEndObject();
        });
  }

  /** GET /v2/models/{name}[/versions/{v}]: OIP model metadata. */
  static byte[] oipModel(OrtModel m, List<OrtModel> allVersions) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("name", m.name());
          g.writeArrayFieldStart("versions");
          for (OrtModel v : allVersions == null ? List.of(m) : allVersions) {
            g.writeString(v.version());
          }
          g.writeEndArray();
          g.writeStringField("platform", "onnxruntime_onnx");
          oipTensors(g, "inputs", m.signature().inputs());
          oipTensors(g, "outputs", m.signature().outputs());
          if (m.manifest().labels() != null) {
            g.writeObjectFieldStart("parameters");
            labels(g, m);
            g.writeEndObject();
          }
          g.writeEndObject();
        });
  }

  private static void oipTensors(JsonGenerator g, String field, List<TensorSpec> specs)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (TensorSpec t : specs) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("datatype", t.datatype().name());
      g.writeArrayFieldStart("shape");
      for (long d : t.shape()) g.writeNumber(d);
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** POST /v2/repository/index: Triton's model repository index. */
  static byte[] repositoryIndex(Collection<OrtModel> models) {
    return Json.write(
        g -> {
          g.writeStartArray();
          for (OrtModel m : models) {
            g.writeStartObject();
            g.writeStringField("name", m.name());
            g.writeStringField("version", m.version());
            g.writeStringField("state", "READY");
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }
}
