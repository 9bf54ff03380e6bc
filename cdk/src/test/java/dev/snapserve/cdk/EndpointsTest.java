package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;

class EndpointsTest {
  static Template template;
  static Stack stack;
  static IRepository repo;

  @BeforeAll
  static void synth() {
    stack =
        new Stack(
            new App(),
            "Endpoints",
            StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build());
    repo =
        Repository.fromRepositoryAttributes(
            stack,
            "Repo",
            RepositoryAttributes.builder()
                .repositoryName("snapserve-digits")
                .repositoryArn("arn:aws:ecr:us-east-1:123456789012:repository/snapserve-digits")
                .build());
    new GpuEndpoint(
        stack,
        "Gpu",
        GpuEndpointProps.builder()
            .imageRepository(repo)
            .imageTag("0.1.0")
            .instanceType("ml.g5.xlarge")
            .variants(
                List.of(
                    EndpointVariant.of("cnn", "digits", "2", 80),
                    EndpointVariant.of("former", "digits", "3", 20)))
            .minInstances(1)
            .maxInstances(4)
            .targetInvocationsPerInstance(1000)
            .dataCapturePercent(5)
            .build());
    new ServerlessEndpoint(
        stack,
        "Serverless",
        ServerlessEndpointProps.builder()
            .imageRepository(repo)
            .imageDigest("sha256:" + "ab".repeat(32))
            .model("digits")
            .version("1")
            .memorySizeMiB(3072)
            .maxConcurrency(10)
            .build());
    template = Template.fromStack(stack);
  }

  @Test
  void gpuVariantsCarryInstanceTypeCountAndWeights() {
    template.hasResourceProperties(
        "AWS::SageMaker::EndpointConfig",
        Map.of(
            "ProductionVariants",
            List.of(
                Match.objectLike(
                    Map.of(
                        "VariantName",
                        "cnn",
                        "InstanceType",
                        "ml.g5.xlarge",
                        "InitialInstanceCount",
                        1,
                        "InitialVariantWeight",
                        80)),
                Match.objectLike(
                    Map.of(
                        "VariantName", "former",
                        "InstanceType", "ml.g5.xlarge",
                        "InitialVariantWeight", 20)))));
  }

  @Test
  void eachVariantRunsItsModelVersionFromTheEcrImage() {
    template.resourceCountIs("AWS::SageMaker::Model", 3);
    template.hasResourceProperties(
        "AWS::SageMaker::Model",
        Map.of(
            "EnableNetworkIsolation",
            true,
            "PrimaryContainer",
            Map.of(
                "Image",
                Match.anyValue(),
                "Environment",
                Map.of("SNAPSERVE_HOST", "0.0.0.0", "SNAPSERVE_ROUTES", "v1=digits@3"))));
    String models = template.findResources("AWS::SageMaker::Model").toString();
    assertThat(models)
        .contains("snapserve-digits:0.1.0", "snapserve-digits@sha256:abab", "v1=digits@2");
  }

  @Test
  void dataCaptureSamplesInputAndOutputToS3() {
    template.hasResourceProperties(
        "AWS::SageMaker::EndpointConfig",
        Map.of(
            "DataCaptureConfig",
            Map.of(
                "EnableCapture",
                true,
                "InitialSamplingPercentage",
                5,
                "DestinationS3Uri",
                Match.anyValue(),
                "CaptureOptions",
                List.of(Map.of("CaptureMode", "Input"), Map.of("CaptureMode", "Output")))));
    template.hasResourceProperties(
        "AWS::S3::Bucket",
        Map.of(
            "PublicAccessBlockConfiguration", Match.objectLike(Map.of("BlockPublicAcls", true))));
  }

  @Test
  void autoscalingTracksInvocationsPerInstanceWithinMinAndMax() {
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 2);
    template.hasResourceProperties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        Map.of(
            "ServiceNamespace",
            "sagemaker",
            "ScalableDimension",
            "sagemaker:variant:DesiredInstanceCount",
            "MinCapacity",
            1,
            "MaxCapacity",
            4,
            "ResourceId",
            Match.objectLike(Map.of("Fn::Join", Match.anyValue()))));
    template.hasResourceProperties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        Map.of(
            "PolicyType",
            "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration",
            Match.objectLike(
                Map.of(
                    "TargetValue",
                    1000,
                    "PredefinedMetricSpecification",
                    Map.of("PredefinedMetricType", "SageMakerVariantInvocationsPerInstance")))));
  }

  @Test
  void variantAlarmsWatchErrorsAndModelLatency() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of("MetricName", "Invocation5XXErrors", "Namespace", "AWS/SageMaker", "Threshold", 0));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of("MetricName", "ModelLatency", "ExtendedStatistic", "p99", "Threshold", 500000));
  }

  @Test
  void serverlessConfigHasMemoryAndConcurrency() {
    template.hasResourceProperties(
        "AWS::SageMaker::EndpointConfig",
        Map.of(
            "ProductionVariants",
            List.of(
                Map.of(
                    "VariantName", "AllTraffic",
                    "ModelName", Match.anyValue(),
                    "ServerlessConfig", Map.of("MemorySizeInMB", 3072, "MaxConcurrency", 10)))));
    template.resourceCountIs("AWS::SageMaker::Endpoint", 2);
  }

  @Test
  void serverlessMemoryMustBeAWholeGibibyteUpTo6() {
    assertThatThrownBy(
            () ->
                new ServerlessEndpoint(
                    stack,
                    "Bad",
                    ServerlessEndpointProps.builder()
                        .imageRepository(repo)
                        .imageTag("x")
                        .model("digits")
                        .version("1")
                        .memorySizeMiB(1500)
                        .build()))
        .hasMessageContaining("memorySizeMiB must be one of 1024");
  }
}
