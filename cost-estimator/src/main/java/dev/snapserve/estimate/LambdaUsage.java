package dev.snapserve.estimate;

import dev.snapserve.spec.Target.Architecture;

/**
 * A Lambda function's month: its configuration and the traffic it serves.
 *
 * @param requests on-demand invocations (outside provisioned concurrency)
 * @param durationMs mean billed duration of an on-demand invocation (rounded up to 1 ms)
 * @param provisionedHours hours per month the provisioned concurrency is configured
 * @param provisionedRequests invocations served by provisioned concurrency
 * @param snapStartRestores SnapStart restores (new execution environments) in the month
 * @param snapStartActiveHours hours the SnapStart-enabled version is active (cached)
 */
public record LambdaUsage(
    int memoryMiB,
    Architecture architecture,
    double requests,
    double durationMs,
    boolean freeTier,
    int ephemeralMiB,
    int provisionedConcurrency,
    double provisionedHours,
    double provisionedRequests,
    double provisionedDurationMs,
    boolean snapStart,
    String runtime,
    double snapStartRestores,
    double snapStartActiveHours) {

  /** On-demand only, 512 MB ephemeral storage, no free tier, java21 without SnapStart. */
  public static LambdaUsage onDemand(
      int memoryMiB, Architecture architecture, double requests, double durationMs) {
    return new LambdaUsage(
        memoryMiB,
        architecture,
        requests,
        durationMs,
        false,
        512,
        0,
        0,
        0,
        0,
        false,
        "java21",
        0,
        730);
  }

  public LambdaUsage withFreeTier(boolean free) {
    return new LambdaUsage(
        memoryMiB,
        architecture,
        requests,
        durationMs,
        free,
        ephemeralMiB,
        provisionedConcurrency,
        provisionedHours,
        provisionedRequests,
        provisionedDurationMs,
        snapStart,
        runtime,
        snapStartRestores,
        snapStartActiveHours);
  }

  public LambdaUsage withEphemeralMiB(int mib) {
    return new LambdaUsage(
        memoryMiB,
        architecture,
        requests,
        durationMs,
        freeTier,
        mib,
        provisionedConcurrency,
        provisionedHours,
        provisionedRequests,
        provisionedDurationMs,
        snapStart,
        runtime,
        snapStartRestores,
        snapStartActiveHours);
  }

  /** {@code concurrency} environments kept warm for {@code hours}, serving {@code requests}. */
  public LambdaUsage withProvisioned(
      int concurrency, double hours, double requests, double durationMs) {
    return new LambdaUsage(
        memoryMiB,
        architecture,
        this.requests,
        this.durationMs,
        freeTier,
        ephemeralMiB,
        concurrency,
        hours,
        requests,
        durationMs,
        snapStart,
        runtime,
        snapStartRestores,
        snapStartActiveHours);
  }

  /** SnapStart on {@code runtime} (java*, python*, dotnet*). */
  public LambdaUsage withSnapStart(String runtime, double restores, double activeHours) {
    return new LambdaUsage(
        memoryMiB,
        architecture,
        requests,
        durationMs,
        freeTier,
        ephemeralMiB,
        provisionedConcurrency,
        provisionedHours,
        provisionedRequests,
        provisionedDurationMs,
        true,
        runtime,
        restores,
        activeHours);
  }
}
