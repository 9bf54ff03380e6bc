package dev.snapserve.packager;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.functions.internal.OrtModel;
import dev.snapserve.packager.QuantizeOptions.Mode;
import dev.snapserve.packager.QuantizeOptions.Weights;
import dev.snapserve.packager.QuantizeResult.Skipped;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.GraphProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.quant.Fp16Rewriter;
import dev.snapserve.packager.internal.quant.Int8Rewriter;
import dev.snapserve.packager.internal.quant.Opsets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Quantizes an ONNX model into a new file: {@code int8} (dynamic quantization, as ONNX Runtime's
 * {@code quantize_dynamic}) or {@code fp16} (float16 weights). Runs ONNX Runtime's basic
 * optimization first, so weights held in Constant nodes become initializers and get quantized too.
 */
public final class Quantizer {
  static final String BASIC_NOTE =
      "ran ONNX Runtime basic optimization first (constant folding turns weights held in Constant"
          + " nodes into initializers, so they are quantized too)";

  private Quantizer() {}

  /** What the MatMul weights' encoding means where the model will run. */
  static String weightsNote(Weights weights) {
    return switch (weights) {
      case U8 ->
          "MatMul weights as uint8 with zero point 128 (--weights u8): ONNX Runtime's integer"
              + " products are exact on every CPU; --weights s8 is faster on x86 CPUs with VNNI";
      case S8 ->
          "MatMul weights as int8 (--weights s8): on x86 CPUs without VNNI, ONNX Runtime's u8 x s8"
              + " kernel saturates and accuracy drops; verify on the CPU that will serve";
      case S7 ->
          "MatMul weights as 7-bit int8 (--weights s7, ONNX Runtime's reduce_range): no"
              + " saturation on any CPU, at some accuracy";
    };
  }

  public static QuantizeResult quantize(QuantizeOptions options) {
    Path input = options.input();
    Path output = options.output();
    AtomicFiles.checkNotInput(output, input);
    AtomicFiles.checkCanWrite(output, options.force());
    List<String> notes = new ArrayList<>();
    ModelProto model;
    try (Progress.Task task = options.progress().begin("quantize " + input, 3, "steps")) {
      // the optimizer reads the input first, so a file that is not ONNX fails there rather than
      // inside ONNX Runtime
      Optimizer.Optimized basic = optimizeBasic(input);
      long opsetBefore = basic.inputOpset();
      model = basic.graph();
      notes.add(BASIC_NOTE);
      task.stepTo(1);
      GraphProto graph = model.getGraph();
      List<String> quantized;
      List<Skipped> skipped;
      double maxError;
      if (options.mode() == Mode.INT8) {
        Int8Rewriter.Outcome o = Int8Rewriter.rewrite(graph, options.weights());
        ModelProto upgraded =
            Opsets.atLeast(model, o.requiredOpset(), graph.getNodeList(), input, o.insertedOps());
        if (upgraded != model) {
          notes.add(
              "raised the ai.onnx opset import from "
                  + Opsets.defaultVersion(model)
                  + " to "
                  + o.requiredOpset()
                  + " for "
                  + o.insertedOps()
                  + " (every op in the graph means the same at both versions)");
        }
        model = upgraded.toBuilder().setGraph(o.graph()).build();
        quantized = o.quantized();
        skipped = o.skipped();
        maxError = o.maxAbsWeightError();
        if (o.requiredOpset() > 0) notes.add(weightsNote(options.weights()));
      } else {
        Fp16Rewriter.Outcome o = Fp16Rewriter.rewrite(graph);
        model = model.toBuilder().setGraph(o.graph()).build();
        quantized = o.converted();
        skipped = o.skipped();
        maxError = o.maxAbsWeightError();
      }
      if (quantized.isEmpty()) notes.add("nothing to quantize: the output computes as the input");
      model = Opsets.withoutUnusedImports(model);
      task.stepTo(2);
      writeChecked(model, output, options.force());
      task.stepTo(3);
      long before = AtomicFiles.size(input);
      long after = AtomicFiles.size(output);
      return new QuantizeResult(
          input,
          output,
          options.mode(),
          before,
          after,
          (double) before / after,
          opsetBefore,
          Opsets.defaultVersion(model),
          quantized,
          skipped,
          maxError,
          notes);
    }
  }

  /** The graph ONNX Runtime runs at basic level, read back from a scratch file. */
  private static Optimizer.Optimized optimizeBasic(Path input) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("snapserve-quantize");
      Path basic = dir.resolve("basic.onnx");
      return Optimizer.optimized(input, basic, Optimizer.Level.BASIC, false);
    } catch (IOException e) {
      throw new PackagerException("cannot create a scratch directory: " + e.getMessage(), e);
    } finally {
      if (dir != null) AtomicFiles.deleteTree(dir);
    }
  }

  /** Writes atomically, but only once ONNX Runtime has loaded the result. */
  private static void writeChecked(ModelProto model, Path output, boolean force) {
    AtomicFiles.write(
        output,
        force,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            model.writeTo(out);
          }
          var env = Ort.environment(); // before SessionOptions, which would load the library
          try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
              OrtSession s = env.createSession(tmp.toString(), o)) {
            s.getNumInputs();
          } catch (OrtException e) {
            throw new PackagerException(
                "the quantized model does not load in ONNX Runtime (nothing written to "
                    + output
                    + "): "
                    + OrtModel.firstLine(e),
                e);
          }
        });
  }
}
