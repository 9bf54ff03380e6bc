package dev.snapserve.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Map;

/**
 * The cold-start baseline: the least a Java program can do to answer one prediction. Loads ONNX
 * Runtime and a model with default session options, runs the example event's digit once, prints the
 * logits and exits. No JSON, no service, no handler.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.snapserve.benchmarks.MinimalOrtProgram
 * [models/demo/model.onnx]</pre>
 */
public final class MinimalOrtProgram {
  /** Held-out row 0 of the digits data: the body of examples/events/apigw-http-v2-predict.json. */
  private static final float[] DIGIT = {
    0, 0, 2, 13, 16, 9, 0, 0, 0, 0, 12, 12, 7, 16, 3, 0, 0, 1, 14, 3, 0, 16, 4, 0, 0, 0, 0, 4, 10,
    16, 6, 0, 0, 0, 0, 13, 16, 16, 9, 0, 0, 0, 0, 5, 13, 1, 0, 0, 0, 0, 0, 11, 9, 0, 0, 0, 0, 0, 1,
    16, 4, 0, 0, 0
  };

  private MinimalOrtProgram() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "models/demo/model.onnx";
    // ONNX Runtime's own call, not snapserve's Ort: this is the baseline, nothing of ours in it
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {DIGIT});
        OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
      float[][] logits = (float[][]) r.get(0).getValue();
      System.out.println(Arrays.toString(logits[0]));
    }
  }
}
