package dev.snapserve.functions.internal;

import java.util.ArrayList;
import java.util.List;

/** A decoded predict request: one buffer and shape per signature input, in signature order. */
final class PredictCall {
  Protocol protocol;
  String id;
  final List<String> requestedOutputs = new ArrayList<>();
  final TensorBuffer[] buffers;
  final long[][] shapes;

  PredictCall(TensorBuffer[] buffers) {
    this.buffers = buffers;
    this.shapes = new long[buffers.length][];
  }

  /** Batch size: dimension 0 of the first input (all batched inputs agree after validation). */
  long batchSize() {
    return shapes.length == 0 || shapes[0] == null || shapes[0].length == 0 ? 1 : shapes[0][0];
  }
}
