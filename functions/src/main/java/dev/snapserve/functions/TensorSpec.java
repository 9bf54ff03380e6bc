package dev.snapserve.functions;

import java.util.List;

/**
 * One input or output of a model signature. {@code shape} uses -1 for a dynamic dimension; the
 * first dimension, when dynamic, is the batch dimension.
 */
public record TensorSpec(String name, DataType datatype, List<Long> shape) {
  public TensorSpec {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name is empty");
    if (datatype == null) throw new IllegalArgumentException("tensor " + name + " has no datatype");
    shape = List.copyOf(shape);
  }

  public int rank() {
    return shape.size();
  }

  /** True when dimension 0 is dynamic, i.e. requests stack instances along it. */
  public boolean batched() {
    return !shape.isEmpty() && shape.get(0) < 0;
  }
}
