package dev.snapserve.spec;

import java.util.List;
import java.util.Optional;

/** HTTP API settings shared by every route. */
public record Api(Optional<Throttling> throttling, Auth auth, Optional<Cors> cors) {

  /** Stage-wide steady-state requests per second and burst. */
  public record Throttling(double rateLimit, int burstLimit) {}

  /** Who may call: anyone, IAM-signed callers, or bearers of a JWT from {@code issuer}. */
  public record Auth(AuthType type, Optional<String> issuer, List<String> audience) {
    public static final Auth NONE = new Auth(AuthType.NONE, Optional.empty(), List.of());
  }

  public enum AuthType {
    NONE,
    IAM,
    JWT
  }

  /** Browser cross-origin access. */
  public record Cors(
      List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders) {}
}
