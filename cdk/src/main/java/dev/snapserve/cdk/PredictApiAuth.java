package dev.snapserve.cdk;

/** Who may call a {@link PredictApi}. */
public enum PredictApiAuth {
  /** Anyone who can reach the endpoint. */
  NONE,
  /** Callers that sign requests with SigV4 and hold {@code execute-api:Invoke}. */
  IAM,
  /** Bearers of a JWT from the configured issuer and audience. */
  JWT
}
