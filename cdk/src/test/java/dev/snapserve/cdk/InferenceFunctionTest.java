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
import software.amazon.awscdk.services.s3.Bucket;

class InferenceFunctionTest {
  @TempDir static Path tmp;
  static Template template;
  static Template fromS3;
  static Stack stack;
  static Path zip;

  @BeforeAll
  static void synth() throws Exception {
    zip = TestZips.lambdaZip(tmp, "fn.zip");
    stack = new Stack(new App(), "Fn");
    InferenceFunction fn =
        new InferenceFunction(
            stack,
            "Digits",
            InferenceFunctionProps.builder()
                .codeZip(zip)
                .routes(
                    List.of(
                        FunctionRoute.of("v1", "digits", "1"),
                        new FunctionRoute(
                            "v2",
                            List.of(
                                new WeightedModel("digits", "2", 90),
                                new WeightedModel("digits", "3", 10)))))
                .reservedConcurrentExecutions(100)
                .build());
    assertThat(fn.aliases()).containsOnlyKeys("v1", "v2");
    template = Template.fromStack(stack);

    Stack s3 = new Stack(new App(), "FromS3");
    new InferenceFunction(
        s3,
        "Digits",
        InferenceFunctionProps.builder()
            .codeZip(zip)
            .routes(List.of(FunctionRoute.of("v1", "digits", "3")))
            .bundleBucket(Bucket.Builder.create(s3, "Bundles").build())
            .bundlePrefix("bundles")
            .build());
    fromS3 = Template.fromStack(s3);
  }

  @Test
  void javaFunctionWithSnapStartOnPublishedVersions() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Runtime",
            "java21",
            "Handler",
            "dev.snapserve.aws.PredictHandler",
            "SnapStart",
            Map.of("ApplyOn", "PublishedVersions"),
            "Architectures",
            List.of("arm64"),
            "MemorySize",
            2048,
            "Timeout",
            10,
            "EphemeralStorage",
            Map.of("Size", 512),
            "ReservedConcurrentExecutions",
            100));
  }

  @Test
  void routesAndCanaryWeightsReachTheHandlerInItsEnvironment() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "SNAPSERVE_ROUTES",
                        "v1=digits@1:10000;v2=digits@2:9000,digits@3:1000",
                        "SNAPSERVE_BUNDLES",
                        "/var/task/models/digits/1,/var/task/models/digits/2,"
                            + "/var/task/models/digits/3")))));
  }

  @Test
  void onePublishedVersionRetainedForRollbackAndOneAliasPerRoute() {
    template.resourceCountIs("AWS::Lambda::Version", 1);
    template.hasResource("AWS::Lambda::Version", Map.of("DeletionPolicy", "Retain"));
    template.resourceCountIs("AWS::Lambda::Alias", 2);
    for (String v : List.of("v1", "v2")) {
      // CodeDeploy owns the alias's routing weights while it shifts traffic
      template.hasResource(
          "AWS::Lambda::Alias",
          Map.of(
              "Properties",
              Map.of(
                  "Name", v,
                  "FunctionVersion", Map.of("Fn::GetAtt", List.of(Match.anyValue(), "Version")),
                  "FunctionName", Match.anyValue(),
                  "Description", Match.anyValue(),
                  "RoutingConfig", Match.absent()),
              "UpdatePolicy",
              Map.of("CodeDeployLambdaAliasUpdate", Match.objectLike(Map.of()))));
    }
  }

  @Test
  void codeDeployGroupPerAliasRollsBackOnItsAlarms() {
    template.resourceCountIs("AWS::CodeDeploy::DeploymentGroup", 2);
    template.hasResourceProperties(
        "AWS::CodeDeploy::DeploymentGroup",
        Map.of(
            "DeploymentConfigName", "CodeDeployDefault.LambdaCanary10Percent5Minutes",
            "AlarmConfiguration",
                Map.of(
                    "Enabled",
                    true,
                    "Alarms",
                    Match.arrayWith(
                        List.of(
                            Map.of("Name", Map.of("Ref", Match.stringLikeRegexp("ErrorRatev2.*"))),
                            Map.of(
                                "Name", Map.of("Ref", Match.stringLikeRegexp("LatencyP99v2.*")))))),
            "AutoRollbackConfiguration",
                Map.of(
                    "Enabled",
                    true,
                    "Events",
                    Match.arrayWith(List.of("DEPLOYMENT_STOP_ON_ALARM")))));
    template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of("ExtendedStatistic", "p99", "Threshold", 1000, "MetricName", "Duration"));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "Threshold",
            1,
            "Metrics",
            Match.arrayWith(
                List.of(Match.objectLike(Map.of("Expression", "IF(i > 0, 100 * e / i, 0)"))))));
  }

  @Test
  void logGroupHasRetentionAndTheRoleMayOnlyWriteItsLogs() {
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    // the function's own role has no managed policy (AWSLambdaBasicExecutionRole: all log groups)
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of(
            "AssumeRolePolicyDocument",
            Match.objectLike(
                Map.of(
                    "Statement",
                    List.of(
                        Match.objectLike(
                            Map.of("Principal", Map.of("Service", "lambda.amazonaws.com")))))),
            "ManagedPolicyArns",
            Match.absent()));
    String policies = template.findResources("AWS::IAM::Policy").toString();
    assertThat(policies).contains("logs:PutLogEvents").doesNotContain("s3:");
  }

  @Test
  void fromS3TheRoleReadsOnlyTheOnePublishedVersionItServes() {
    fromS3.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Map.of(
                    "SNAPSERVE_ROUTES",
                    "v1=digits@3:10000",
                    "SNAPSERVE_BUNDLE_URI",
                    Match.objectLike(Map.of("Fn::Join", Match.anyValue()))))));
    String env = fromS3.findResources("AWS::Lambda::Function").toString();
    assertThat(env).contains("s3://", "/bundles/digits/3/").doesNotContain("SNAPSERVE_BUNDLES");
    String policies = fromS3.findResources("AWS::IAM::Policy").toString();
    assertThat(policies)
        .contains("Action=s3:GetObject", "/bundles/digits/3/*")
        .doesNotContain("s3:GetObject*", "s3:List", "\"*\"");
  }

  @Test
  void snapStartRefusesLargeEphemeralStorageProvisionedConcurrencyAndNonZipCode() {
    Stack s = new Stack(new App(), "Invalid");
    assertThatThrownBy(
            () ->
                new InferenceFunction(
                    s,
                    "TooBig",
                    InferenceFunctionProps.builder()
                        .codeZip(zip)
                        .routes(List.of(FunctionRoute.of("v1", "digits", "1")))
                        .ephemeralStorageMiB(1024)
                        .build()))
        .hasMessageContaining("ephemeralStorageMiB must be 512-512");
    assertThatThrownBy(
            () ->
                new InferenceFunction(
                    s,
                    "Provisioned",
                    InferenceFunctionProps.builder()
                        .codeZip(zip)
                        .routes(List.of(FunctionRoute.of("v1", "digits", "1")))
                        .provisionedConcurrentExecutions(2)
                        .build()))
        .hasMessageContaining("provisionedConcurrentExecutions: Lambda does not allow");
    assertThatThrownBy(
            () ->
                new InferenceFunction(
                    s,
                    "TwoFromS3",
                    InferenceFunctionProps.builder()
                        .codeZip(zip)
                        .routes(
                            List.of(
                                FunctionRoute.of("v1", "digits", "1"),
                                FunctionRoute.of("v2", "digits", "2")))
                        .bundleBucket(Bucket.Builder.create(s, "B").build())
                        .build()))
        .hasMessageContaining("the S3 bundle source loads one model version")
        .hasMessageContaining("[digits@1, digits@2]");
    assertThatThrownBy(
            () ->
                new InferenceFunction(
                    s,
                    "Dir",
                    InferenceFunctionProps.builder()
                        .codeZip(tmp)
                        .routes(List.of(FunctionRoute.of("v1", "digits", "1")))
                        .build()))
        .hasMessageContaining("zip");
  }
}
