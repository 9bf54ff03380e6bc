package dev.snapserve.cdk;

/**
 * A model version and the share of a route's requests it takes.
 *
 * @param model the model's name in the spec, e.g. {@code digits}
 * @param version the model version, e.g. {@code 3}
 * @param weightPercent 0 (exclusive) to 100 (inclusive), up to two decimals
 */
public record WeightedModel(String model, String version, double weightPercent) {
  public WeightedModel {
    if (!(weightPercent > 0 && weightPercent <= 100)) {
      throw new IllegalArgumentException(
          "weightPercent of "
              + model
              + "@"
              + version
              + " must be in (0, 100], got "
              + weightPercent);
    }
  }

  /** The whole route on one model version. */
  public static WeightedModel of(String model, String version) {
    return new WeightedModel(model, version, 100);
  }

  /** {@code digits@3}, as {@code SNAPSERVE_ROUTES} names it. */
  public String ref() {
    return model + "@" + version;
  }
}
