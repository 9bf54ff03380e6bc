package dev.snapserve.estimate;

/**
 * A Google Cloud Function's month.
 *
 * @param generation 1 (GB-s + GHz-s by memory tier) or 2 (Cloud Run vCPU-s + GiB-s)
 * @param egressKb outbound data per invocation, KiB
 */
public record GcfUsage(
    int generation,
    int memoryMiB,
    double invocations,
    double durationMs,
    double egressKb,
    boolean freeTier) {}
