package dev.snapserve.cdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * An API Gateway HTTP API in front of {@link InferenceFunction} aliases: {@code POST /vN/predict}
 * per route, plus the TF Serving ({@code /v1/models/...}) and Open Inference Protocol ({@code
 * /v2/models/...}) paths; stage throttling, an optional IAM or JWT authorizer, CORS, JSON access
 * logs and a 5xx-rate alarm per route (add it to the route's CodeDeploy group).
 */
public final class PredictApi extends Construct {
  /** The stage every route is served from: no stage prefix in the URL. */
  public static final String STAGE = "$default";

  private static final String ACCESS_LOG_FORMAT =
      "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
          + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
          + "\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
          + "\"responseLength\":\"$context.responseLength\","
          + "\"integrationLatency\":\"$context.integrationLatency\","
          + "\"integrationError\":\"$context.integrationErrorMessage\"}";

  private final HttpApi api;
  private final HttpStage stage;
  private final LogGroup accessLogs;
  private final Map<String, Alarm> serverErrorAlarms = new LinkedHashMap<>();

  public PredictApi(Construct scope, String id, PredictApiProps props) {
    super(scope, id);
    if (props.routes().isEmpty()) throw new IllegalArgumentException("routes must not be empty");
    HttpApi.Builder b =
        HttpApi.Builder.create(this, "Api")
            .apiName(props.apiName() == null ? getNode().getPath() : props.apiName())
            .description("snapserve predict API: " + String.join(", ", props.routes().keySet()))
            .createDefaultStage(false);
    if (!props.corsAllowOrigins().isEmpty()) {
      b.corsPreflight(
          CorsPreflightOptions.builder()
              .allowOrigins(props.corsAllowOrigins())
              .allowMethods(props.corsAllowMethods().stream().map(PredictApi::corsMethod).toList())
              .allowHeaders(props.corsAllowHeaders())
              .maxAge(Duration.hours(1))
              .build());
    }
    IHttpRouteAuthorizer authorizer = authorizer(props);
    if (authorizer != null) b.defaultAuthorizer(authorizer);
    api = b.build();

    accessLogs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(props.accessLogRetention())
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    IAccessLogDestination destination = new LogGroupLogDestination(accessLogs);
    HttpStage.Builder s =
        HttpStage.Builder.create(this, "Stage")
            .httpApi(api)
            .stageName(STAGE)
            .autoDeploy(true)
            .detailedMetricsEnabled(true) // per-route metrics: the 5xx alarms need them
            .accessLogSettings(
                new IAccessLogSettings() {
                  @Override
                  public IAccessLogDestination getDestination() {
                    return destination;
                  }

                  @Override
                  public AccessLogFormat getFormat() {
                    return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                  }
                });
    if (props.throttlingRateLimit() != null || props.throttlingBurstLimit() != null) {
      ThrottleSettings.Builder t = ThrottleSettings.builder();
      if (props.throttlingRateLimit() != null) t.rateLimit(props.throttlingRateLimit());
      if (props.throttlingBurstLimit() != null) t.burstLimit(props.throttlingBurstLimit());
      s.throttle(t.build());
    }
    stage = s.build();

    Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
    props
        .routes()
        .forEach(
            (v, alias) -> integrations.put(v, new HttpLambdaIntegration("Integration" + v, alias)));
    for (String v : props.routes().keySet()) {
      route("/" + v + "/predict", List.of(HttpMethod.POST), integrations.get(v));
      serverErrorAlarms.put(v, serverErrorAlarm(v, props.serverErrorAlarmPercent()));
    }
    String first = props.routes().keySet().iterator().next();
    route(
        "/v1/models/{proxy+}",
        List.of(HttpMethod.GET, HttpMethod.POST),
        integrations.getOrDefault("v1", integrations.get(first)));
    route(
        "/v2/models/{proxy+}",
        List.of(HttpMethod.GET, HttpMethod.POST),
        integrations.getOrDefault("v2", integrations.get(first)));
  }

  private void route(String path, List<HttpMethod> methods, HttpLambdaIntegration integration) {
    api.addRoutes(
        AddRoutesOptions.builder().path(path).methods(methods).integration(integration).build());
  }

  private static IHttpRouteAuthorizer authorizer(PredictApiProps p) {
    return switch (p.auth()) {
      case NONE -> null;
      case IAM -> new HttpIamAuthorizer();
      case JWT -> {
        if (p.jwtIssuer() == null || p.jwtAudience().isEmpty()) {
          throw new IllegalArgumentException(
              "auth JWT needs jwtIssuer and at least one jwtAudience");
        }
        yield new HttpJwtAuthorizer(
            "Jwt",
            p.jwtIssuer(),
            HttpJwtAuthorizerProps.builder().jwtAudience(p.jwtAudience()).build());
      }
    };
  }

  private static CorsHttpMethod corsMethod(String m) {
    return "*".equals(m)
        ? CorsHttpMethod.ANY
        : CorsHttpMethod.valueOf(m.toUpperCase(java.util.Locale.ROOT));
  }

  private Alarm serverErrorAlarm(String v, double thresholdPercent) {
    Map<String, String> dims =
        Map.of("ApiId", api.getApiId(), "Stage", STAGE, "Route", "POST /" + v + "/predict");
    Map<String, IMetric> metrics = new LinkedHashMap<>();
    metrics.put("e", routeMetric("5xx", dims));
    metrics.put("n", routeMetric("Count", dims));
    return Alarm.Builder.create(this, "ServerErrors" + v)
        .metric(
            MathExpression.Builder.create()
                .expression("IF(n > 0, 100 * e / n, 0)")
                .usingMetrics(metrics)
                .period(Duration.minutes(1))
                .label("/" + v + " 5xx %")
                .build())
        .threshold(thresholdPercent)
        .evaluationPeriods(1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .alarmDescription("/" + v + "/predict: 5xx above " + thresholdPercent + "% of requests")
        .build();
  }

  private static Metric routeMetric(String name, Map<String, String> dims) {
    return Metric.Builder.create()
        .namespace("AWS/ApiGateway")
        .metricName(name)
        .dimensionsMap(dims)
        .statistic("Sum")
        .period(Duration.minutes(1))
        .build();
  }

  public HttpApi api() {
    return api;
  }

  public HttpStage stage() {
    return stage;
  }

  /** The invoke URL, e.g. {@code https://abc.execute-api.us-east-1.amazonaws.com/}. */
  public String url() {
    return stage.getUrl();
  }

  public LogGroup accessLogs() {
    return accessLogs;
  }

  /** The 5xx-rate alarm of {@code POST /{apiVersion}/predict}. */
  public Alarm serverErrorAlarm(String apiVersion) {
    Alarm a = serverErrorAlarms.get(apiVersion);
    if (a == null) throw new IllegalArgumentException("no route " + apiVersion);
    return a;
  }

  /** API version to its 5xx-rate alarm. */
  public Map<String, Alarm> serverErrorAlarms() {
    return Collections.unmodifiableMap(serverErrorAlarms);
  }
}
