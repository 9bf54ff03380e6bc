package dev.snapserve.spec;

import java.util.List;
import java.util.Optional;

/**
 * The load the cost estimator prices: requests per month, or per hour of a typical day.
 *
 * @param requestsPerHour 24 values (hour 0..23 UTC) when given; a month is 730 hours
 * @param durationMs mean time a request spends in the model, for duration-billed targets
 */
public record Traffic(
    double requestsPerMonth,
    Optional<List<Double>> requestsPerHour,
    int requestBytes,
    int responseBytes,
    double durationMs) {

  /** AWS prices a month as 730 hours. */
  public static final double HOURS_PER_MONTH = 730;

  public static final Traffic NONE = new Traffic(0, Optional.empty(), 0, 0, 0);

  /** The requests of a month whose every day has these 24 hourly counts. */
  public static double perMonth(List<Double> requestsPerHour) {
    return requestsPerHour.stream().mapToDouble(Double::doubleValue).sum() * HOURS_PER_MONTH / 24;
  }
}
