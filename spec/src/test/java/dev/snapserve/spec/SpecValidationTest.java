package dev.snapserve.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** One test per validation rule: each message names the field and what is allowed. */
class SpecValidationTest {
  private static final String BASE =
      """
      service: svc
      models:
        fraud:
          "3": bundles/fraud-3
          "4": bundles/fraud-4
          "5": {bundle: bundles/fraud-5}
      targets:
        fn:
          type: lambda
      routes:
        /v1/predict: {model: fraud@3}
        /v2/predict: {model: fraud@4, canary: {version: "5", weight: 10%}}
      """;

  private static DeploymentSpec parse(String yaml) {
    return DeploymentSpec.parse(yaml, Path.of("/specs/snapserve.yaml"));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      String yaml, String field) {
    return assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(SpecException.class)
        .satisfies(e -> assertThat(((SpecException) e).field()).isEqualTo(field))
        .hasMessageStartingWith(field.isEmpty() ? "" : field + ": ");
  }

  private static String withTarget(String target) {
    return BASE.replace("  fn:\n    type: lambda\n", target);
  }

  @Test
  void minimalSpecGetsTheDocumentedDefaults() {
    DeploymentSpec spec = parse(BASE);
    Target.Lambda fn = (Target.Lambda) spec.target("fn");
    assertThat(fn.memoryMiB()).isEqualTo(2048);
    assertThat(fn.architecture()).isEqualTo(Target.Architecture.ARM64);
    assertThat(fn.snapStart()).isTrue();
    assertThat(fn.timeoutSeconds()).isEqualTo(30);
    assertThat(fn.ephemeralStorageMiB()).isEqualTo(512);
    assertThat(spec.region()).isEqualTo("us-east-1");
    assertThat(spec.routes()).allMatch(r -> r.target().equals("fn") && r.trafficPercent() == 50);
    assertThat(spec.version(new ModelRef("fraud", "5")).bundle())
        .isEqualTo(Path.of("/specs/bundles/fraud-5"));
    assertThat(spec.api().auth()).isEqualTo(Api.Auth.NONE);
  }

  @Test
  void unknownModelVersionInARoute() {
    rejects(BASE.replace("model: fraud@3", "model: fraud@7"), "routes./v1/predict.model")
        .hasMessageContaining("unknown version '7' of model 'fraud' (versions: 3, 4, 5)");
  }

  @Test
  void unknownModelInARoute() {
    rejects(BASE.replace("model: fraud@3", "model: spam@1"), "routes./v1/predict.model")
        .hasMessageContaining("unknown model 'spam' (models: fraud)");
  }

  @Test
  void routeModelMustBeModelAtVersion() {
    rejects(BASE.replace("model: fraud@3", "model: fraud"), "routes./v1/predict.model")
        .hasMessageContaining("must be model@version");
  }

  @Test
  void unknownCanaryVersion() {
    rejects(BASE.replace("version: \"5\"", "version: \"9\""), "routes./v2/predict.canary.version")
        .hasMessageContaining("unknown version '9'");
  }

  @Test
  void canaryWeightMustBeAPercentage() {
    rejects(BASE.replace("weight: 10%", "weight: 120%"), "routes./v2/predict.canary.weight")
        .hasMessageContaining("must be from 0.01 to 99.99, got 120");
  }

  @Test
  void variantWeightsMustSumTo100() {
    String gpu =
        """
          fn:
            type: lambda
          gpu:
            type: gpuEndpoint
            image: {repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud, tag: "1"}
            instanceType: ml.g5.xlarge
            variants:
              - {name: a, model: fraud@3, weight: 70}
              - {name: b, model: fraud@4, weight: 20}
        """;
    rejects(withTarget(gpu), "targets.gpu.variants")
        .hasMessageContaining("variant weights must sum to 100, got 90");
  }

  @Test
  void lambdaMemoryOutside128To10240() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    memoryMiB: 64\n"),
            "targets.fn.memoryMiB")
        .hasMessageContaining("must be from 128 to 10240, got 64");
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    memoryMiB: 10241\n"),
            "targets.fn.memoryMiB")
        .hasMessageContaining("must be from 128 to 10240");
  }

  @Test
  void snapStartWithProvisionedConcurrency() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    provisionedConcurrency: 5\n"),
            "targets.fn.provisionedConcurrency")
        .hasMessageContaining("does not allow provisioned concurrency with SnapStart");
    // allowed once SnapStart is off
    assertThat(
            parse(
                    BASE.replace(
                        "type: lambda\n",
                        "type: lambda\n    snapStart: false\n    provisionedConcurrency: 5\n"))
                .target("fn"))
        .isInstanceOfSatisfying(
            Target.Lambda.class, l -> assertThat(l.provisionedConcurrency()).isEqualTo(5));
  }

  @Test
  void snapStartWithLargeEphemeralStorage() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    ephemeralStorageMiB: 1024\n"),
            "targets.fn.ephemeralStorageMiB")
        .hasMessageContaining("limited to 512 MiB");
  }

  @Test
  void lambdaArchitectureIsArm64OrX86() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    architecture: sparc\n"),
            "targets.fn.architecture")
        .hasMessageContaining("'sparc' is not allowed (allowed: arm64, x86_64)");
  }

  @Test
  void lambdaTimeoutAtMost15Minutes() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    timeoutSeconds: 901\n"),
            "targets.fn.timeoutSeconds")
        .hasMessageContaining("must be from 1 to 900");
  }

  @Test
  void unknownInstanceType() {
    String gpu =
        """
          fn:
            type: lambda
          gpu:
            type: gpuEndpoint
            image: {repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud, tag: "1"}
            instanceType: ml.g5.huge
        """;
    rejects(withTarget(gpu), "targets.gpu.instanceType")
        .hasMessageContaining("unknown SageMaker instance type 'ml.g5.huge'")
        .hasMessageContaining("ml.g5.xlarge");
  }

  @Test
  void maxInstancesBelowMin() {
    String gpu =
        """
          fn:
            type: lambda
          gpu:
            type: gpuEndpoint
            image: {repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud, tag: "1"}
            instanceType: ml.g5.xlarge
            minInstances: 3
            maxInstances: 2
        """;
    rejects(withTarget(gpu), "targets.gpu.maxInstances")
        .hasMessageContaining(">= minInstances (3)");
  }

  @Test
  void endpointImageMustBeAnEcrRepository() {
    String gpu =
        """
          fn:
            type: lambda
          gpu:
            type: gpuEndpoint
            image: {repository: docker.io/library/fraud, tag: "1"}
            instanceType: ml.g5.xlarge
        """;
    rejects(withTarget(gpu), "targets.gpu.image.repository")
        .hasMessageContaining("ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME");
  }

  @Test
  void serverlessMemoryIsOneOfTheSageMakerSizes() {
    String sls =
        """
          fn:
            type: lambda
          sls:
            type: serverlessEndpoint
            image: {repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud, tag: "1"}
            memoryMiB: 1500
        """;
    rejects(withTarget(sls), "targets.sls.memoryMiB")
        .hasMessageContaining("must be one of [1024, 2048, 3072, 4096, 5120, 6144]");
    rejects(withTarget(sls.replace("1500", "8192")), "targets.sls.memoryMiB")
        .hasMessageContaining("must be from 1024 to 6144");
  }

  @Test
  void serverlessMaxConcurrencyAtMost200() {
    String sls =
        """
          fn:
            type: lambda
          sls:
            type: serverlessEndpoint
            image: {repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud, tag: "1"}
            maxConcurrency: 500
        """;
    rejects(withTarget(sls), "targets.sls.maxConcurrency").hasMessageContaining("from 1 to 200");
  }

  @Test
  void unknownTargetType() {
    rejects(BASE.replace("type: lambda", "type: ec2"), "targets.fn.type")
        .hasMessageContaining("allowed: lambda, gpuEndpoint, serverlessEndpoint");
  }

  @Test
  void routeNamesAnUnknownTarget() {
    rejects(
            BASE.replace("{model: fraud@3}", "{model: fraud@3, target: gpu}"),
            "routes./v1/predict.target")
        .hasMessageContaining("unknown target 'gpu' (targets: fn)");
  }

  @Test
  void routePathMustBeVersioned() {
    rejects(BASE.replace("/v1/predict:", "/predict:"), "routes./predict")
        .hasMessageContaining("/v1/predict, /v2/predict");
  }

  @Test
  void unknownRegionListsValidOnes() {
    rejects("region: mars-1\n" + BASE, "region")
        .hasMessageContaining("'mars-1' is not allowed")
        .hasMessageContaining("eu-west-1");
  }

  @Test
  void misspeltFieldIsNamed() {
    rejects(
            BASE.replace("type: lambda\n", "type: lambda\n    memoryMb: 512\n"),
            "targets.fn.memoryMb")
        .hasMessageContaining("unknown field (allowed here: architecture, ephemeralStorageMiB");
  }

  @Test
  void jwtAuthNeedsIssuerAndAudience() {
    rejects(
            BASE + "api:\n  auth: {type: jwt, issuer: https://id.example.com/}\n",
            "api.auth.audience")
        .hasMessageContaining("is required for type: jwt");
    rejects(BASE + "api:\n  auth: {type: jwt, issuer: http://id, audience: x}\n", "api.auth.issuer")
        .hasMessageContaining("https://");
  }

  @Test
  void trafficIsPerMonthOrPerHour() {
    rejects(BASE + "traffic:\n  requestsPerHour: [1, 2, 3]\n", "traffic.requestsPerHour")
        .hasMessageContaining("must have 24 values");
    rejects(BASE + "traffic:\n  requestsPerMonth: -5\n", "traffic.requestsPerMonth")
        .hasMessageContaining("must be from 0");
    DeploymentSpec spec =
        parse(BASE + "traffic:\n  requestsPerHour: [" + "100, ".repeat(23) + "100]\n");
    assertThat(spec.traffic().requestsPerMonth()).isEqualTo(100 * 730);
  }

  @Test
  void routeTrafficSharesMustSumTo100() {
    rejects(BASE.replace("{model: fraud@3}", "{model: fraud@3, trafficPercent: 30}"), "routes")
        .hasMessageContaining("must sum to 100, got 30");
  }

  @Test
  void notYamlOrNotAMapping() {
    rejects("service: [unclosed", "").hasMessageContaining("is not valid YAML");
    rejects("- a\n- b\n", "").hasMessageContaining("must be a YAML mapping");
  }
}
