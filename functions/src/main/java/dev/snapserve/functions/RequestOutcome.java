package dev.snapserve.functions;

/**
 * What happened to one request, for logs and metrics.
 *
 * @param requestId the id echoed in the response
 * @param route the route pattern matched, e.g. {@code /v1/predict}, or null when none matched
 * @param model model name, or null when no model was chosen
 * @param version model version, or null
 * @param status HTTP status returned
 * @param errorCode the error code, or null on success
 * @param batchSize examples in the request (0 when not a predict or not decoded)
 * @param latencyNanos time spent inside the service
 * @param failure the unexpected exception behind a 500 INTERNAL, else null
 */
public record RequestOutcome(
    String requestId,
    String route,
    String model,
    String version,
    int status,
    ErrorCode errorCode,
    long batchSize,
    long latencyNanos,
    Throwable failure) {}
