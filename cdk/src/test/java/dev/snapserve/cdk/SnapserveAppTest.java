package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** The repository's example snapserve.yaml, synthesized once, with cdk-nag's AwsSolutions pack. */
class SnapserveAppTest {
  @TempDir static Path tmp;
  static DeploymentSpec spec;
  static SnapserveStack stack;
  static CloudAssembly assembly;
  static Template template;
  static final List<String> requested = new ArrayList<>();

  @BeforeAll
  static void synth() throws Exception {
    spec = DeploymentSpec.load(TestZips.exampleSpec());
    Path zip = TestZips.lambdaZip(tmp.resolve("dist"), "fn.zip");
    App app = new App(AppProps.builder().outdir(tmp.resolve("cdk.out").toString()).build());
    stack =
        SnapserveApp.build(
            app,
            spec,
            (s, target, versions) -> {
              requested.add(
                  target.name() + "=" + versions.stream().map(ModelVersion::ref).toList());
              return zip;
            });
    Aspects.of(app).add(new AwsSolutionsChecks());
    assembly = app.synth();
    template = Template.fromStack(stack);
  }

  @Test
  void theLambdaTargetGetsOneZipWithEveryModelVersionItsRoutesNeed() {
    assertThat(requested).containsExactly("fn=[digits@1, digits@2, digits@3]");
  }

  @Test
  void cloudAssemblyHasTheTemplateAndTheZipAsset() throws Exception {
    CloudFormationStackArtifact artifact = assembly.getStackByName("digits-api");
    Path dir = Path.of(assembly.getDirectory());
    assertThat(dir.resolve(artifact.getTemplateFile())).isRegularFile();
    assertThat(artifact.getEnvironment().getRegion()).isEqualTo("us-east-1");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("asset.") && n.endsWith(".zip"))
          .contains("manifest.json", "digits-api.assets.json");
    }
  }

  @Test
  void synthWritesTheCostEstimateWithinTheBudget() throws Exception {
    Path md = Path.of(assembly.getDirectory()).resolve("cost-estimate.md");
    assertThat(md).isRegularFile();
    assertThat(Files.readString(md))
        .startsWith("# Monthly cost estimate: digits-api")
        .contains("AWS Lambda", "Amazon API Gateway", "Amazon SageMaker", "ml.g5.xlarge");
  }

  @Test
  void exampleSpecBecomesFunctionApiGpuEndpointAndDashboard() {
    template.resourceCountIs("AWS::Lambda::Function", 1);
    template.resourceCountIs("AWS::Lambda::Alias", 2);
    template.resourceCountIs("AWS::CodeDeploy::DeploymentGroup", 2);
    template.resourceCountIs("AWS::SageMaker::Endpoint", 1);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "SNAPSERVE_ROUTES", "v1=digits@1:10000;v2=digits@2:9000,digits@3:1000")))));
    template.hasResourceProperties(
        "AWS::ApiGatewayV2::Route",
        Map.of("RouteKey", "POST /v2/predict", "AuthorizationType", "JWT"));
    template.hasOutput("ApiUrl", Match.anyValue());
    template.hasResourceProperties(
        "AWS::SageMaker::EndpointConfig",
        Map.of("DataCaptureConfig", Match.objectLike(Map.of("InitialSamplingPercentage", 5))));
    // every alias also rolls back on its route's API 5xx rate
    template.hasResourceProperties(
        "AWS::CodeDeploy::DeploymentGroup",
        Map.of(
            "AlarmConfiguration",
            Match.objectLike(
                Map.of(
                    "Alarms",
                    Match.arrayWith(
                        List.of(
                            Map.of(
                                "Name",
                                Map.of("Ref", Match.stringLikeRegexp("ApiServerErrorsv2.*")))))))));
  }

  @Test
  void dashboardGraphsEveryAliasAndEveryVariant() {
    String body = template.findResources("AWS::CloudWatch::Dashboard").toString();
    assertThat(body)
        .contains("fn (Lambda)", "gpu (SageMaker)", "Invocations per route", "Duration p99")
        .contains("\"Resource\",\"", ":v1\"", ":v2\"")
        .contains("\"VariantName\",\"cnn\"", "\"VariantName\",\"former\"", "GPUUtilization");
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnsuppressedErrors() {
    var errors =
        Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertThat(errors.stream().map(e -> e.getId() + " " + e.getEntry().getData()).toList())
        .isEmpty();
  }
}
