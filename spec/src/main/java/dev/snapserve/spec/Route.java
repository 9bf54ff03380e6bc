package dev.snapserve.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A public API version: {@code /v2/predict} served by a model version on a target.
 *
 * @param apiVersion the path's version segment, e.g. {@code v2}
 * @param model the model version that takes the traffic the canary does not; absent for a GPU
 *     endpoint whose variants name the models
 * @param canary an optional weighted canary (Lambda targets)
 * @param trafficPercent this route's share of the spec's traffic profile
 */
public record Route(
    String path,
    String apiVersion,
    Optional<ModelRef> model,
    Optional<Canary> canary,
    String target,
    double trafficPercent) {

  /** A second model version that takes {@code weightPercent} of the route's requests. */
  public record Canary(ModelRef model, double weightPercent) {}

  /**
   * The route's model versions with their percent of its requests: the model with what the canary
   * leaves, then the canary. Empty for a GPU endpoint route whose variants name the models.
   */
  public Map<ModelRef, Double> weights() {
    Map<ModelRef, Double> weights = new LinkedHashMap<>();
    model.ifPresent(m -> weights.put(m, 100 - canary.map(Canary::weightPercent).orElse(0.0)));
    canary.ifPresent(c -> weights.put(c.model(), c.weightPercent()));
    return weights;
  }
}
