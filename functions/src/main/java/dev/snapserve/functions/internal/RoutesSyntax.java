package dev.snapserve.functions.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code SNAPSERVE_ROUTES} (read by {@link Router}) for deployers of specs: the serve
 * command and the CDK constructs.
 */
public final class RoutesSyntax {
  /** Weights are percentages with up to two decimals; the router wants integers. */
  private static final int WEIGHT_SCALE = 100;

  private RoutesSyntax() {}

  /**
   * One route: {@code v2=digits@2:9000,digits@3:1000} from {@code v2} and the targets ({@code
   * model@version}) with their percent of the traffic, in order.
   */
  public static String entry(String apiVersion, List<Map.Entry<String, Double>> percentByTarget) {
    return apiVersion
        + "="
        + percentByTarget.stream()
            .map(e -> e.getKey() + ":" + Math.round(e.getValue() * WEIGHT_SCALE))
            .collect(Collectors.joining(","));
  }

  /** Routes joined as {@code SNAPSERVE_ROUTES} holds them. */
  public static String join(List<String> entries) {
    return String.join(";", entries);
  }
}
