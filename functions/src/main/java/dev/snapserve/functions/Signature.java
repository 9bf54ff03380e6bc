package dev.snapserve.functions;

import java.util.List;
import java.util.Optional;

/** A model's inputs and outputs, in the model's order. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  public Signature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty()) throw new IllegalArgumentException("signature has no inputs");
    if (outputs.isEmpty()) throw new IllegalArgumentException("signature has no outputs");
  }

  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
