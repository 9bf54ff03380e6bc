package dev.snapserve.packager.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.TensorProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and writes ONNX model files as protobuf, with errors that name the file. */
public final class OnnxFiles {
  /** ONNX files are one protobuf message; models above 2 GB use external data (unsupported). */
  private static final int MAX_BYTES = Integer.MAX_VALUE;

  private OnnxFiles() {}

  /** Parses an ONNX model; anything that is not one is a {@link PackagerException}. */
  public static ModelProto read(Path file) {
    ModelProto model;
    if (isEmpty(file)) throw notOnnx(file, "the file is empty");
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(MAX_BYTES);
      model = ModelProto.parseFrom(coded);
    } catch (NoSuchFileException e) {
      throw new PackagerException("model file " + file + " does not exist");
    } catch (InvalidProtocolBufferException e) {
      throw notOnnx(file, "it is not a valid protobuf (truncated or corrupt?): " + e.getMessage());
    } catch (IOException e) {
      throw new PackagerException("cannot read " + file + ": " + e.getMessage(), e);
    }
    // protobuf accepts many byte strings (even empty ones) as a message of all-default fields
    if (model.getIrVersion() <= 0 || !model.hasGraph()) {
      throw notOnnx(file, "it has no ir_version or no graph");
    }
    return model;
  }

  /** Serializes a model to {@code out} through {@link AtomicFiles} (temp file, then move). */
  public static void write(ModelProto model, Path out, boolean force) {
    AtomicFiles.write(
        out,
        force,
        tmp -> {
          try (OutputStream os = Files.newOutputStream(tmp)) {
            model.writeTo(os);
          }
        });
  }

  /**
   * The graph inputs a caller feeds: {@code graph.input} minus initializers (before IR version 4
   * every initializer was also listed as an input). Fails when there are none: such a model
   * computes a constant and cannot be served or verified.
   */
  public static List<ValueInfoProto> requireInputs(ModelProto model, Path file) {
    Set<String> initializers = new HashSet<>();
    for (TensorProto t : model.getGraph().getInitializerList()) initializers.add(t.getName());
    List<ValueInfoProto> inputs = new ArrayList<>();
    for (ValueInfoProto v : model.getGraph().getInputList()) {
      if (!initializers.contains(v.getName())) inputs.add(v);
    }
    if (inputs.isEmpty()) {
      throw new PackagerException(
          file + " has no graph inputs: it computes a constant, nothing to serve or verify");
    }
    return inputs;
  }

  private static boolean isEmpty(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == 0;
    } catch (IOException e) {
      return false; // the read below reports the problem
    }
  }

  private static PackagerException notOnnx(Path file, String why) {
    return new PackagerException(file + " is not an ONNX model: " + why);
  }
}
