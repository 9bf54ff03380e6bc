package dev.snapserve.functions;

/**
 * The metrics and logging hook: adapters implement it (EMF on Lambda, Prometheus on the endpoint
 * server). Called once per request, on the request's thread, after the response is built; it must
 * be cheap and must not throw.
 */
@FunctionalInterface
public interface RequestListener {
  void onRequest(RequestOutcome outcome);

  /** Reports only unexpected failures, to standard error. */
  RequestListener FAILURES_TO_STDERR =
      o -> {
        if (o.failure() != null) {
          System.err.println("snapserve: request " + o.requestId() + " failed unexpectedly");
          o.failure().printStackTrace();
        }
      };
}
