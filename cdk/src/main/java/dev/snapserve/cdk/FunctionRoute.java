package dev.snapserve.cdk;

import java.util.List;

/**
 * A public API version served by an {@link InferenceFunction}: {@code /v2/predict} and the model
 * versions behind it, weighted when a canary takes part of the traffic.
 *
 * @param apiVersion the path's version segment, {@code v1}, {@code v2}, ...; also the alias name
 * @param models one or more model versions whose weights sum to 100
 */
public record FunctionRoute(String apiVersion, List<WeightedModel> models) {
  public FunctionRoute {
    if (apiVersion == null || !apiVersion.matches("v\\d+")) {
      throw new IllegalArgumentException(
          "apiVersion must look like v1, v2, ..., got " + apiVersion);
    }
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("route " + apiVersion + " needs at least one model");
    }
    double sum = models.stream().mapToDouble(WeightedModel::weightPercent).sum();
    if (Math.abs(sum - 100) > 0.005) {
      throw new IllegalArgumentException(
          "weights of route " + apiVersion + " must sum to 100, got " + sum);
    }
  }

  /** A route served by one model version. */
  public static FunctionRoute of(String apiVersion, String model, String version) {
    return new FunctionRoute(apiVersion, List.of(WeightedModel.of(model, version)));
  }
}
