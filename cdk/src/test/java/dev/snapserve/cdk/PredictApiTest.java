package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;

class PredictApiTest {
  @TempDir static Path tmp;
  static Template template;
  static Map<String, Map<String, Object>> resources;
  static Template iam;

  @BeforeAll
  static void synth() throws Exception {
    Stack stack = new Stack(new App(), "Api");
    InferenceFunction fn =
        new InferenceFunction(
            stack,
            "Digits",
            InferenceFunctionProps.builder()
                .codeZip(TestZips.lambdaZip(tmp, "fn.zip"))
                .routes(
                    List.of(
                        FunctionRoute.of("v1", "digits", "1"),
                        FunctionRoute.of("v2", "digits", "2")))
                .build());
    PredictApi api =
        new PredictApi(
            stack,
            "Predict",
            PredictApiProps.builder()
                .routes(fn.aliases())
                .throttlingRateLimit(500.0)
                .throttlingBurstLimit(1000)
                .auth(PredictApiAuth.JWT)
                .jwtIssuer("https://auth.example.com/")
                .jwtAudience(List.of("digits-api"))
                .corsAllowOrigins(List.of("https://app.example.com"))
                .build());
    fn.aliases().keySet().forEach(v -> fn.deploymentGroup(v).addAlarm(api.serverErrorAlarm(v)));
    template = Template.fromStack(stack);
    resources = castResources(template.toJSON());

    Stack iamStack = new Stack(new App(), "IamApi");
    InferenceFunction iamFn =
        new InferenceFunction(
            iamStack,
            "Digits",
            InferenceFunctionProps.builder()
                .codeZip(TestZips.lambdaZip(tmp, "fn.zip"))
                .routes(List.of(FunctionRoute.of("v3", "digits", "3")))
                .build());
    new PredictApi(
        iamStack,
        "Predict",
        PredictApiProps.builder().routes(iamFn.aliases()).auth(PredictApiAuth.IAM).build());
    iam = Template.fromStack(iamStack);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> castResources(Map<String, Object> json) {
    return (Map<String, Map<String, Object>>) json.get("Resources");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> props(String logicalId) {
    return (Map<String, Object>) resources.get(logicalId).get("Properties");
  }

  /** The logical id of the resource a {@code Ref} (or a Join around one) points at. */
  @SuppressWarnings("unchecked")
  private static String ref(Object value) {
    String s = value.toString();
    int i = s.indexOf("Ref=");
    return s.substring(i + 4, s.indexOf('}', i));
  }

  private static String logicalIdWhere(String type, String key, Object value) {
    return resources.entrySet().stream()
        .filter(e -> type.equals(e.getValue().get("Type")))
        .filter(e -> value.equals(props(e.getKey()).get(key)))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " with " + key + "=" + value));
  }

  /** Follows route -> integration -> alias and returns the alias's name. */
  private static String aliasBehind(String routeKey) {
    String route = logicalIdWhere("AWS::ApiGatewayV2::Route", "RouteKey", routeKey);
    String integration = ref(props(route).get("Target"));
    String alias = ref(props(integration).get("IntegrationUri"));
    assertThat(resources.get(alias).get("Type")).isEqualTo("AWS::Lambda::Alias");
    return (String) props(alias).get("Name");
  }

  @Test
  void eachRouteIsIntegratedWithTheMatchingAlias() {
    assertThat(aliasBehind("POST /v1/predict")).isEqualTo("v1");
    assertThat(aliasBehind("POST /v2/predict")).isEqualTo("v2");
    assertThat(aliasBehind("POST /v1/models/{proxy+}")).isEqualTo("v1");
    assertThat(aliasBehind("GET /v2/models/{proxy+}")).isEqualTo("v2");
  }

  @Test
  void invokePermissionsAreScopedToTheAliasAndTheRoute() {
    String v1 = logicalIdWhere("AWS::Lambda::Alias", "Name", "v1");
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "Action",
            "lambda:InvokeFunction",
            "FunctionName",
            Map.of("Ref", v1),
            "Principal",
            "apigateway.amazonaws.com",
            "SourceArn",
            Match.anyValue()));
    resources.entrySet().stream()
        .filter(e -> "AWS::Lambda::Permission".equals(e.getValue().get("Type")))
        .forEach(
            e ->
                assertThat(ref(props(e.getKey()).get("FunctionName")))
                    .as("permission %s targets an alias, not the function", e.getKey())
                    .isIn(v1, logicalIdWhere("AWS::Lambda::Alias", "Name", "v2")));
    assertThat(template.findResources("AWS::Lambda::Permission").toString())
        .contains("/v1/predict", "/v2/predict", "/v1/models/{proxy+}");
  }

  @Test
  void stageThrottlesLogsAndHasDetailedMetrics() {
    template.hasResourceProperties(
        "AWS::ApiGatewayV2::Stage",
        Map.of(
            "StageName",
            "$default",
            "AutoDeploy",
            true,
            "DefaultRouteSettings",
            Map.of(
                "ThrottlingRateLimit", 500,
                "ThrottlingBurstLimit", 1000,
                "DetailedMetricsEnabled", true),
            "AccessLogSettings",
            Map.of(
                "DestinationArn", Match.anyValue(),
                "Format", Match.stringLikeRegexp(".*routeKey.*status.*"))));
  }

  @Test
  void jwtAuthorizerGuardsEveryRouteAndCorsIsConfigured() {
    template.hasResourceProperties(
        "AWS::ApiGatewayV2::Authorizer",
        Map.of(
            "AuthorizerType",
            "JWT",
            "JwtConfiguration",
            Map.of("Issuer", "https://auth.example.com/", "Audience", List.of("digits-api"))));
    template.allResourcesProperties("AWS::ApiGatewayV2::Route", Map.of("AuthorizationType", "JWT"));
    template.hasResourceProperties(
        "AWS::ApiGatewayV2::Api",
        Map.of(
            "CorsConfiguration",
            Match.objectLike(
                Map.of(
                    "AllowOrigins", List.of("https://app.example.com"),
                    "AllowMethods", List.of("POST")))));
  }

  @Test
  void routeServerErrorAlarmsJoinTheAliasDeploymentGroups() {
    String alarm =
        resources.keySet().stream()
            .filter(k -> k.contains("ServerErrorsv1"))
            .findFirst()
            .orElseThrow();
    assertThat(resources.get(alarm).toString())
        .contains("MetricName=5xx", "Value=POST /v1/predict", "AWS/ApiGateway");
    template.hasResourceProperties(
        "AWS::CodeDeploy::DeploymentGroup",
        Map.of(
            "AlarmConfiguration",
            Match.objectLike(
                Map.of("Alarms", Match.arrayWith(List.of(Map.of("Name", Map.of("Ref", alarm))))))));
  }

  @Test
  void iamAuthSignsEveryRouteAndModelPathsFallBackToTheFirstRoute() {
    iam.allResourcesProperties("AWS::ApiGatewayV2::Route", Map.of("AuthorizationType", "AWS_IAM"));
    iam.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
    // no v1/v2 route here: the TF Serving and OIP paths go to the only alias, v3
    iam.resourceCountIs("AWS::ApiGatewayV2::Integration", 1);
    iam.hasResourceProperties(
        "AWS::ApiGatewayV2::Route", Map.of("RouteKey", "GET /v1/models/{proxy+}"));
    iam.hasResourceProperties(
        "AWS::ApiGatewayV2::Api", Map.of("CorsConfiguration", Match.absent()));
    iam.hasResourceProperties(
        "AWS::ApiGatewayV2::Stage",
        Map.of(
            "DefaultRouteSettings",
            Map.of(
                "DetailedMetricsEnabled", true,
                "ThrottlingRateLimit", Match.absent(),
                "ThrottlingBurstLimit", Match.absent())));
  }

  @Test
  void jwtAuthNeedsIssuerAndAudience() {
    Stack s = new Stack(new App(), "BadJwt");
    assertThatThrownBy(
            () ->
                new PredictApi(
                    s,
                    "Api",
                    PredictApiProps.builder()
                        .routes(
                            Map.of(
                                "v1",
                                Function.fromFunctionArn(
                                    s,
                                    "Fn",
                                    "arn:aws:lambda:us-east-1:123456789012:function:f:v1")))
                        .auth(PredictApiAuth.JWT)
                        .jwtIssuer("https://auth.example.com/")
                        .build()))
        .hasMessageContaining("auth JWT needs jwtIssuer and at least one jwtAudience");
  }
}
