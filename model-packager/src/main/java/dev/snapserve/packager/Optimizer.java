package dev.snapserve.packager;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.snapserve.functions.internal.Ort;
import dev.snapserve.functions.internal.OrtModel;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.OnnxFiles;
import dev.snapserve.packager.internal.onnx.OnnxProto.ModelProto;
import dev.snapserve.packager.internal.onnx.OnnxProto.NodeProto;
import dev.snapserve.packager.internal.quant.Opsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** ONNX Runtime's offline graph optimization: the optimized graph written as a new .onnx file. */
public final class Optimizer {
  private Optimizer() {}

  /** How far ONNX Runtime may rewrite the graph. */
  public enum Level {
    /** Constant folding and redundant-node removal; the result uses standard ONNX ops only. */
    BASIC(OptLevel.BASIC_OPT),
    /**
     * Adds fusions into ONNX Runtime's own ops (com.microsoft domain): runs on ONNX Runtime only.
     */
    EXTENDED(OptLevel.EXTENDED_OPT);

    private final OptLevel ort;

    Level(OptLevel ort) {
      this.ort = ort;
    }

    public static Level parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new PackagerException(
            "optimization level must be basic or extended, got '" + s + "'");
      }
    }
  }

  /**
   * @param nodesBefore graph nodes in the input
   * @param nodesAfter graph nodes in the output
   * @param customDomains non-standard op domains in the output (e.g. com.microsoft): when not
   *     empty, the model runs on ONNX Runtime only
   */
  public record Result(
      Path input,
      Path output,
      Level level,
      long sizeBefore,
      long sizeAfter,
      int nodesBefore,
      int nodesAfter,
      Set<String> customDomains) {}

  /** Optimizes {@code model} into {@code out}; never touches the input. */
  public static Result optimize(Path model, Path out, Level level, boolean force) {
    return optimized(model, out, level, force).result();
  }

  /**
   * {@link #optimize}'s result, the graph it wrote, as read back, and the input's ai.onnx opset
   * (the quantizer goes on from these).
   */
  record Optimized(Result result, ModelProto graph, long inputOpset) {}

  static Optimized optimized(Path model, Path out, Level level, boolean force) {
    AtomicFiles.checkNotInput(out, model);
    ModelProto before = OnnxFiles.read(model);
    OnnxFiles.requireInputs(before, model);
    AtomicFiles.write(out, force, tmp -> runOrt(model, tmp, level));
    ModelProto after = OnnxFiles.read(out);
    return new Optimized(
        new Result(
            model,
            out,
            level,
            AtomicFiles.size(model),
            AtomicFiles.size(out),
            before.getGraph().getNodeCount(),
            after.getGraph().getNodeCount(),
            customDomains(after)),
        after,
        Opsets.defaultVersion(before));
  }

  /** Lets ONNX Runtime load the model and write back the graph it would run. */
  private static void runOrt(Path model, Path tmp, Level level) {
    var env = Ort.environment(); // first: it also loads the native library, on its large stack
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(level.ort);
      options.setOptimizedModelFilePath(tmp.toString());
      env.createSession(model.toString(), options).close();
    } catch (OrtException e) {
      throw new PackagerException(
          "ONNX Runtime cannot load " + model + ": " + OrtModel.firstLine(e), e);
    }
  }

  private static Set<String> customDomains(ModelProto model) {
    Set<String> domains = new TreeSet<>();
    for (NodeProto node : model.getGraph().getNodeList()) {
      String d = node.getDomain();
      if (!d.isEmpty() && !d.equals("ai.onnx")) domains.add(d);
    }
    return domains;
  }
}
