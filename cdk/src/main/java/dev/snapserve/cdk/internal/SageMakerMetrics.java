package dev.snapserve.cdk.internal;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/** SageMaker's per-variant endpoint metrics, as both endpoint constructs and alarms read them. */
public final class SageMakerMetrics {
  /** Invocations, latency, errors. */
  public static final String ENDPOINT_NAMESPACE = "AWS/SageMaker";

  /** Instance utilisation: CPU, GPU, memory, disk. */
  public static final String INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints";

  private SageMakerMetrics() {}

  /** {@code name} of one variant of {@code endpointName}, in 1-minute periods. */
  public static Metric variant(
      String namespace, String name, String endpointName, String variant, String statistic) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(Map.of("EndpointName", endpointName, "VariantName", variant))
        .statistic(statistic)
        .period(Duration.minutes(1))
        .build();
  }
}
