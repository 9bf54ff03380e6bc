package dev.snapserve.functions.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.snapserve.functions.DataType;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.Signature;
import dev.snapserve.functions.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code manifest.json} with the streaming parser the request path loads anyway. Object
 * mapping would pull jackson-databind into every cold start: on a small Lambda that costs more than
 * loading ONNX Runtime and the model. Unknown fields are ignored; a field of the wrong shape is an
 * {@link IOException} naming it.
 */
public final class ManifestReader {
  private ManifestReader() {}

  public static Manifest read(byte[] json) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "the manifest");
      int schemaVersion = 0;
      String name = null;
      String version = null;
      String format = null;
      Manifest.ModelFile model = null;
      Signature signature = null;
      List<String> labels = null;
      Map<String, String> provenance = null;
      List<Manifest.Optimization> optimizations = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "schemaVersion" -> schemaVersion = t == JsonToken.VALUE_NULL ? 0 : p.getIntValue();
          case "name" -> name = text(p, t, field);
          case "version" -> version = text(p, t, field);
          case "format" -> format = text(p, t, field);
          case "model" -> model = t == JsonToken.VALUE_NULL ? null : modelFile(p);
          case "signature" -> signature = t == JsonToken.VALUE_NULL ? null : signature(p);
          case "labels" -> labels = t == JsonToken.VALUE_NULL ? null : strings(p, field);
          case "provenance" -> provenance = t == JsonToken.VALUE_NULL ? null : stringMap(p);
          case "optimizations" ->
              optimizations = t == JsonToken.VALUE_NULL ? null : optimizations(p);
          default -> p.skipChildren();
        }
      }
      try {
        return new Manifest(
            schemaVersion,
            name,
            version,
            format,
            model,
            signature,
            labels,
            provenance,
            optimizations);
      } catch (RuntimeException e) {
        throw new JsonParseException(p, String.valueOf(e.getMessage()), e);
      }
    }
  }

  private static Manifest.ModelFile modelFile(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_OBJECT, "model");
    String file = null;
    String sha256 = null;
    long sizeBytes = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "file" -> file = text(p, t, field);
        case "sha256" -> sha256 = text(p, t, field);
        case "sizeBytes" -> sizeBytes = t == JsonToken.VALUE_NULL ? 0 : p.getLongValue();
        default -> p.skipChildren();
      }
    }
    return new Manifest.ModelFile(file, sha256, sizeBytes);
  }

  private static List<Manifest.Optimization> optimizations(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_ARRAY, "optimizations");
    List<Manifest.Optimization> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String step = null;
      String level = null;
      Manifest.Verification verify = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "step" -> step = text(p, t, "optimizations.step");
          case "level" -> level = text(p, t, "optimizations.level");
          case "verify" -> verify = t == JsonToken.VALUE_NULL ? null : verification(p);
          default -> p.skipChildren();
        }
      }
      out.add(new Manifest.Optimization(step, level, verify));
    }
    expect(p, p.currentToken(), JsonToken.END_ARRAY, "optimizations");
    return out;
  }

  private static Manifest.Verification verification(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_OBJECT, "optimizations.verify");
    double maxAbsError = 0;
    Double top1Agreement = null;
    String tolerance = null;
    String inputs = null;
    boolean passed = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "maxAbsError" -> maxAbsError = number(p, t, "optimizations.verify.maxAbsError");
        case "top1Agreement" ->
            top1Agreement =
                t == JsonToken.VALUE_NULL
                    ? null
                    : number(p, t, "optimizations.verify.top1Agreement");
        case "tolerance" -> tolerance = text(p, t, "optimizations.verify.tolerance");
        case "inputs" -> inputs = text(p, t, "optimizations.verify.inputs");
        case "passed" -> passed = t == JsonToken.VALUE_TRUE;
        default -> p.skipChildren();
      }
    }
    return new Manifest.Verification(maxAbsError, top1Agreement, tolerance, inputs, passed);
  }

  private static double number(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
      throw new JsonParseException(p, "'" + what + "' must be a number, not " + t);
    }
    return p.getDoubleValue();
  }

  private static Signature signature(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_OBJECT, "signature");
    List<TensorSpec> inputs = null;
    List<TensorSpec> outputs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "inputs" -> inputs = specs(p, field);
        case "outputs" -> outputs = specs(p, field);
        default -> p.skipChildren();
      }
    }
    try {
      return new Signature(inputs, outputs);
    } catch (RuntimeException e) {
      throw new JsonParseException(p, "signature: " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> specs(JsonParser p, String what) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_ARRAY, what);
    List<TensorSpec> specs = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String name = null;
      DataType datatype = null;
      List<Long> shape = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "name" -> name = text(p, t, field);
          case "datatype" -> datatype = datatype(p, t);
          case "shape" -> shape = longs(p, field);
          default -> p.skipChildren();
        }
      }
      try {
        specs.add(new TensorSpec(name, datatype, shape));
      } catch (RuntimeException e) {
        throw new JsonParseException(p, what + ": " + e.getMessage(), e);
      }
    }
    expect(p, p.currentToken(), JsonToken.END_ARRAY, what);
    return specs;
  }

  private static DataType datatype(JsonParser p, JsonToken t) throws IOException {
    String name = text(p, t, "datatype");
    if (name == null) return null;
    try {
      return DataType.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new JsonParseException(p, "unknown datatype '" + name + "'");
    }
  }

  private static List<Long> longs(JsonParser p, String what) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_ARRAY, what);
    List<Long> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) out.add(p.getLongValue());
    expect(p, p.currentToken(), JsonToken.END_ARRAY, what + " (integers)");
    return out;
  }

  private static List<String> strings(JsonParser p, String what) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_ARRAY, what);
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      out.add(text(p, t, what));
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonParser p) throws IOException {
    expect(p, p.currentToken(), JsonToken.START_OBJECT, "provenance");
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      String value = text(p, p.nextToken(), "provenance." + key);
      if (value != null) out.put(key, value);
    }
    return out;
  }

  /** A scalar as text (numbers and booleans too, as object mapping would coerce them); null. */
  private static String text(JsonParser p, JsonToken t, String what) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == null || !t.isScalarValue()) {
      throw new JsonParseException(p, "'" + what + "' must be a string, not " + t);
    }
    return p.getText();
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what)
      throws IOException {
    if (actual != expected) {
      throw new JsonParseException(
          p, "'" + what + "' must start with " + expected + ", not " + actual);
    }
  }
}
