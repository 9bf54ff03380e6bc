package dev.snapserve.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of a {@link PredictApi}; build with {@link #builder()}. */
public final class PredictApiProps {
  private final Map<String, IFunction> routes;
  private final String apiName;
  private final Double throttlingRateLimit;
  private final Integer throttlingBurstLimit;
  private final PredictApiAuth auth;
  private final String jwtIssuer;
  private final List<String> jwtAudience;
  private final List<String> corsAllowOrigins;
  private final List<String> corsAllowMethods;
  private final List<String> corsAllowHeaders;
  private final RetentionDays accessLogRetention;
  private final double serverErrorAlarmPercent;

  private PredictApiProps(Builder b) {
    routes = new LinkedHashMap<>(Objects.requireNonNull(b.routes, "routes is required"));
    apiName = b.apiName;
    throttlingRateLimit = b.throttlingRateLimit;
    throttlingBurstLimit = b.throttlingBurstLimit;
    auth = Objects.requireNonNull(b.auth, "auth");
    jwtIssuer = b.jwtIssuer;
    jwtAudience = List.copyOf(b.jwtAudience);
    corsAllowOrigins = List.copyOf(b.corsAllowOrigins);
    corsAllowMethods = List.copyOf(b.corsAllowMethods);
    corsAllowHeaders = List.copyOf(b.corsAllowHeaders);
    accessLogRetention = b.accessLogRetention;
    serverErrorAlarmPercent = b.serverErrorAlarmPercent;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * API version ({@code v1}) to the function alias that serves {@code POST /v1/predict}, in order.
   * {@code /v1/models/{proxy+}} (TF Serving) goes to {@code v1}'s alias and {@code
   * /v2/models/{proxy+}} (Open Inference Protocol) to {@code v2}'s, each falling back to the first
   * route when that version is absent.
   */
  public Map<String, IFunction> routes() {
    return routes;
  }

  /**
   * The API's name.
   *
   * @default the construct path
   */
  public String apiName() {
    return apiName;
  }

  /**
   * Stage-wide steady-state requests per second.
   *
   * @default none: the account's limit
   */
  public Double throttlingRateLimit() {
    return throttlingRateLimit;
  }

  /**
   * Stage-wide burst (token bucket size).
   *
   * @default none: the account's limit
   */
  public Integer throttlingBurstLimit() {
    return throttlingBurstLimit;
  }

  /**
   * Authorization of every route.
   *
   * @default {@code PredictApiAuth.NONE}
   */
  public PredictApiAuth auth() {
    return auth;
  }

  /** The JWT issuer URL; required with {@code PredictApiAuth.JWT}. */
  public String jwtIssuer() {
    return jwtIssuer;
  }

  /** Accepted JWT audiences; at least one with {@code PredictApiAuth.JWT}. */
  public List<String> jwtAudience() {
    return jwtAudience;
  }

  /**
   * Origins allowed by CORS; empty turns CORS off.
   *
   * @default none
   */
  public List<String> corsAllowOrigins() {
    return corsAllowOrigins;
  }

  /**
   * CORS methods (with {@link #corsAllowOrigins()}).
   *
   * @default {@code [POST]}
   */
  public List<String> corsAllowMethods() {
    return corsAllowMethods;
  }

  /**
   * CORS request headers (with {@link #corsAllowOrigins()}).
   *
   * @default {@code [content-type, authorization]}
   */
  public List<String> corsAllowHeaders() {
    return corsAllowHeaders;
  }

  /**
   * Retention of the access log group.
   *
   * @default {@code RetentionDays.ONE_MONTH}
   */
  public RetentionDays accessLogRetention() {
    return accessLogRetention;
  }

  /**
   * A route's 5xx alarm fires above this share of its requests (1-minute periods).
   *
   * @default 1
   */
  public double serverErrorAlarmPercent() {
    return serverErrorAlarmPercent;
  }

  /** Builds {@link PredictApiProps}; {@code routes} is required. */
  public static final class Builder {
    private Map<String, IFunction> routes;
    private String apiName;
    private Double throttlingRateLimit;
    private Integer throttlingBurstLimit;
    private PredictApiAuth auth = PredictApiAuth.NONE;
    private String jwtIssuer;
    private List<String> jwtAudience = List.of();
    private List<String> corsAllowOrigins = List.of();
    private List<String> corsAllowMethods = List.of("POST");
    private List<String> corsAllowHeaders = List.of("content-type", "authorization");
    private RetentionDays accessLogRetention = RetentionDays.ONE_MONTH;
    private double serverErrorAlarmPercent = 1;

    private Builder() {}

    public Builder routes(Map<String, ? extends IFunction> v) {
      routes = new LinkedHashMap<>(v);
      return this;
    }

    public Builder apiName(String v) {
      apiName = v;
      return this;
    }

    public Builder throttlingRateLimit(Double v) {
      throttlingRateLimit = v;
      return this;
    }

    public Builder throttlingBurstLimit(Integer v) {
      throttlingBurstLimit = v;
      return this;
    }

    public Builder auth(PredictApiAuth v) {
      auth = v;
      return this;
    }

    public Builder jwtIssuer(String v) {
      jwtIssuer = v;
      return this;
    }

    public Builder jwtAudience(List<String> v) {
      jwtAudience = v;
      return this;
    }

    public Builder corsAllowOrigins(List<String> v) {
      corsAllowOrigins = v;
      return this;
    }

    public Builder corsAllowMethods(List<String> v) {
      corsAllowMethods = v;
      return this;
    }

    public Builder corsAllowHeaders(List<String> v) {
      corsAllowHeaders = v;
      return this;
    }

    public Builder accessLogRetention(RetentionDays v) {
      accessLogRetention = v;
      return this;
    }

    public Builder serverErrorAlarmPercent(double v) {
      serverErrorAlarmPercent = v;
      return this;
    }

    public PredictApiProps build() {
      return new PredictApiProps(this);
    }
  }
}
