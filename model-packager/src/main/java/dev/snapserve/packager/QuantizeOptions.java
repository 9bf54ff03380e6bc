package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Quantizer#quantize} does. Start from {@link #of} and adjust with the {@code with...}
 * methods.
 *
 * @param input the ONNX model to quantize (never modified)
 * @param output where the quantized model goes; must not be {@code input}
 * @param mode {@link Mode#INT8} or {@link Mode#FP16}
 * @param force replace an existing {@code output} (default false)
 * @param weights int8 only: how MatMul/Gemm weights are stored for ONNX Runtime's integer GEMM
 *     (default {@link Weights#U8}, whose integer products are exact on every CPU)
 * @param progress where progress goes (default {@link Progress#NONE})
 */
public record QuantizeOptions(
    Path input, Path output, Mode mode, boolean force, Weights weights, Progress progress) {

  /** The kind of quantization. */
  public enum Mode {
    /** INT8 weights, activations quantized at run time (dynamic quantization). */
    INT8,
    /** FLOAT16 weights, float32 arithmetic, inputs and outputs. */
    FP16;

    public static Mode parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new PackagerException("quantization mode must be int8 or fp16, got '" + s + "'");
      }
    }
  }

  /**
   * INT8 weights as ONNX Runtime's MatMulInteger reads them. Activations are uint8 at run time, and
   * on x86 CPUs without VNNI (AVX2; likely AVX-512 before Cascade Lake too) its uint8 x int8 kernel
   * adds pairs of products in 16 bits, which saturate: a model verified on a VNNI machine then
   * loses accuracy on such a CPU (measured under QEMU's Haswell model: digitsformer's top-1
   * agreement with float drops from 99.7% to 97.5%).
   */
  public enum Weights {
    /**
     * Unsigned, zero point 128: the same values as {@link #S8}, computed exactly on every CPU by
     * ONNX Runtime's uint8 x uint8 kernels; slower than S8 on x86 CPUs with VNNI (measured:
     * 14-38%).
     */
    U8,
    /** Signed 8-bit: fastest on x86 CPUs with VNNI; saturates on x86 CPUs without VNNI. */
    S8,
    /** Signed 7-bit ([-63, 63], ONNX Runtime's reduce_range): cannot saturate, less precise. */
    S7;

    public static Weights parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new PackagerException("int8 weights must be u8, s8 or s7, got '" + s + "'");
      }
    }
  }

  public QuantizeOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(progress, "progress");
  }

  public static QuantizeOptions of(Path input, Path output, Mode mode) {
    return new QuantizeOptions(input, output, mode, false, Weights.U8, Progress.NONE);
  }

  public QuantizeOptions withForce(boolean force) {
    return new QuantizeOptions(input, output, mode, force, weights, progress);
  }

  public QuantizeOptions withWeights(Weights weights) {
    return new QuantizeOptions(input, output, mode, force, weights, progress);
  }

  public QuantizeOptions withProgress(Progress progress) {
    return new QuantizeOptions(input, output, mode, force, weights, progress);
  }
}
