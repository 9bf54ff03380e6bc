package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Fmt.num;

import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Route;
import dev.snapserve.spec.Target;
import dev.snapserve.spec.Traffic;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices a {@link DeploymentSpec}: every target under its routes' share of the traffic profile, the
 * HTTP API in front of them and the responses sent to the internet.
 */
public final class SpecEstimator {
  private static final double BYTES_PER_GIB = 1L << 30;

  private SpecEstimator() {}

  /** The monthly estimate of {@code spec} in its region's catalog; no free tier. */
  public static Estimate estimate(DeploymentSpec spec) {
    return estimate(spec, SpecUsage.NONE);
  }

  /** The same under {@code usage}'s overrides of the spec's traffic profile. */
  public static Estimate estimate(DeploymentSpec spec, SpecUsage usage) {
    return estimate(spec, usage, PriceCatalog.load(spec.region()));
  }

  /** The same in {@code catalog} (e.g. a refreshed one), which must be of the spec's region. */
  public static Estimate estimate(DeploymentSpec spec, SpecUsage usage, PriceCatalog catalog) {
    usage.checkTargets(spec);
    if (!catalog.region().equals(spec.region())) {
      throw new EstimateException(
          "the price catalog is for "
              + catalog.region()
              + " but the spec deploys to "
              + spec.region());
    }
    Estimator est = new Estimator(catalog);
    Traffic traffic = usage.apply(spec.traffic());
    if (usage.source() != null) est.assume(usage.describe());
    double monthly = traffic.requestsPerMonth();
    est.assume(
        "traffic: "
            + num(BigDecimal.valueOf(monthly))
            + " requests a month ("
            + (traffic.requestsPerHour().isPresent() ? "24-hour profile x 730 h / 24" : "uniform")
            + "), "
            + traffic.requestBytes()
            + " B requests, "
            + traffic.responseBytes()
            + " B responses, "
            + num(BigDecimal.valueOf(traffic.durationMs()))
            + " ms in the model");

    Map<String, Double> percentByTarget = new LinkedHashMap<>();
    for (Route r : spec.routes()) {
      percentByTarget.merge(r.target(), r.trafficPercent(), Double::sum);
    }
    for (Target target : spec.targets().values()) {
      double percent = percentByTarget.getOrDefault(target.name(), 0.0);
      double requests = monthly * percent / 100;
      Double own = usage.durationMsByTarget().get(target.name());
      double durationMs = own != null ? own : traffic.durationMs();
      if (own != null) {
        est.assume(
            "target "
                + target.name()
                + ": "
                + num(BigDecimal.valueOf(own))
                + " ms in the model"
                + (target instanceof Target.GpuEndpoint
                    ? " (does not change the price of instance-hours)"
                    : ""));
      }
      switch (target) {
        case Target.Lambda fn -> lambda(est, fn, requests, durationMs);
        case Target.GpuEndpoint gpu -> gpu(est, gpu, requests, percent, traffic);
        case Target.ServerlessEndpoint sls -> {
          est.sagemakerServerless(sls.memoryMiB(), requests, durationMs);
          est.sagemakerData(
              gib(requests * traffic.requestBytes()), gib(requests * traffic.responseBytes()));
          if (sls.provisionedConcurrency() > 0) {
            est.assume(
                "target "
                    + sls.name()
                    + ": serverless provisioned concurrency is not priced by this version");
          }
        }
      }
      est.assume(
          "target "
              + target.name()
              + " takes "
              + num(BigDecimal.valueOf(percent))
              + "% of requests");
    }
    // one HTTP API fronts every route; the responses leave AWS to the callers
    est.api(ApiType.HTTP, monthly, traffic.requestBytes() / 1024.0);
    est.dataTransferOut(gib(monthly * traffic.responseBytes()), false);
    est.assume(
        "not priced: CloudWatch Logs (no log volume in the spec), S3 data capture, ECR storage, KMS, NAT");
    return est.estimate();
  }

  private static void lambda(Estimator est, Target.Lambda fn, double requests, double durationMs) {
    LambdaUsage u =
        LambdaUsage.onDemand(fn.memoryMiB(), fn.architecture(), requests, durationMs)
            .withEphemeralMiB(fn.ephemeralStorageMiB());
    if (fn.provisionedConcurrency() > 0) {
      u =
          LambdaUsage.onDemand(fn.memoryMiB(), fn.architecture(), 0, 0)
              .withEphemeralMiB(fn.ephemeralStorageMiB())
              .withProvisioned(
                  fn.provisionedConcurrency(), Traffic.HOURS_PER_MONTH, requests, durationMs);
      est.assume(
          "target "
              + fn.name()
              + ": provisioned concurrency all month, serving all of its requests");
    }
    if (fn.snapStart()) u = u.withSnapStart("java21", 0, Traffic.HOURS_PER_MONTH);
    est.lambda(u);
  }

  /**
   * Each production variant scales on its own (as the CDK app synthesizes it: one scalable target
   * per variant, minInstances..maxInstances), on its weight's share of the endpoint's traffic.
   * Instances follow the autoscaling target (invocations per instance per minute) hour by hour.
   */
  private static void gpu(
      Estimator est, Target.GpuEndpoint gpu, double requests, double percent, Traffic traffic) {
    List<Double> shares = variantShares(gpu);
    for (int i = 0; i < gpu.variants().size(); i++) {
      Target.Variant v = gpu.variants().get(i);
      double share = shares.get(i);
      List<Double> perHour =
          traffic
              .requestsPerHour()
              .map(h -> h.stream().map(x -> x * percent / 100 * share).toList())
              .orElse(
                  java.util.Collections.nCopies(24, requests * share / Traffic.HOURS_PER_MONTH));
      double instances =
          averageInstances(
              perHour, gpu.minInstances(), gpu.maxInstances(), gpu.targetInvocationsPerInstance());
      est.sagemaker(gpu.instanceType(), instances, Traffic.HOURS_PER_MONTH, v.name());
      int needed =
          (int)
              Math.ceil(
                  perHour.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                      / 60
                      / gpu.targetInvocationsPerInstance());
      if (needed > gpu.maxInstances()) {
        est.assume(
            "WARNING target "
                + gpu.name()
                + " variant "
                + v.name()
                + ": the traffic needs up to "
                + needed
                + " instances but maxInstances is "
                + gpu.maxInstances()
                + "; priced at the cap, which could not serve it");
      }
      est.assume(
          "target "
              + gpu.name()
              + " variant "
              + v.name()
              + " ("
              + num(BigDecimal.valueOf(share * 100))
              + "% of its requests): "
              + num(BigDecimal.valueOf(instances))
              + " "
              + gpu.instanceType()
              + " on average (autoscaling "
              + gpu.minInstances()
              + "-"
              + gpu.maxInstances()
              + " at "
              + gpu.targetInvocationsPerInstance()
              + " invocations/instance/minute)");
    }
    est.sagemakerData(
        gib(requests * traffic.requestBytes()), gib(requests * traffic.responseBytes()));
  }

  /** The mean instance count over a day of hourly request rates, clamped to min..max. */
  static double averageInstances(List<Double> perHour, int min, int max, double targetPerMinute) {
    double sum = 0;
    for (double hourly : perHour) {
      int needed = (int) Math.ceil(hourly / 60 / targetPerMinute);
      sum += Math.min(max, Math.max(min, needed));
    }
    return sum / perHour.size();
  }

  /** Each variant's share of the endpoint's traffic: its weight, or an equal split if all are 0. */
  static List<Double> variantShares(Target.GpuEndpoint gpu) {
    double weights = gpu.variants().stream().mapToDouble(Target.Variant::weightPercent).sum();
    return gpu.variants().stream()
        .map(v -> weights == 0 ? 1.0 / gpu.variants().size() : v.weightPercent() / weights)
        .toList();
  }

  /** Bytes as GiB: the one conversion the spec, template and comparison estimates share. */
  static double gib(double bytes) {
    return bytes / BYTES_PER_GIB;
  }
}
