package dev.snapserve.cdk;

/**
 * A production variant of a {@link GpuEndpoint}: one model version and its share of the traffic.
 *
 * @param name the variant name, e.g. {@code cnn} (letters, digits, '-')
 * @param model the model's name in the spec
 * @param version the model version
 * @param weightPercent relative traffic weight; SageMaker splits by weight / sum of weights
 * @param modelDataKey the key of a {@code model.tar.gz} in the endpoint's {@code modelDataBucket},
 *     or null when the image carries the bundle
 */
public record EndpointVariant(
    String name, String model, String version, double weightPercent, String modelDataKey) {
  public EndpointVariant {
    if (name == null || !name.matches("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")) {
      throw new IllegalArgumentException(
          "variant name must be 1-63 letters, digits or '-', got " + name);
    }
    if (!(weightPercent > 0)) {
      throw new IllegalArgumentException(
          "variant " + name + ": weightPercent must be > 0, got " + weightPercent);
    }
  }

  /** A variant whose image carries its bundle. */
  public static EndpointVariant of(String name, String model, String version, double weight) {
    return new EndpointVariant(name, model, version, weight, null);
  }
}
