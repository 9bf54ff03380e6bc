package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.spec.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture {@code templates/digits-api.template.json} is the template the cdk module synthesizes
 * from the repository's snapserve.yaml ({@code SnapserveApp.build} + {@code app.synth()}, recorded
 * 2026-12-02), so the spec and its template must price the same.
 */
class TemplateEstimatorTest {
  static final Path TEMPLATE = Path.of("src/test/resources/templates/digits-api.template.json");

  /** The spec's traffic profile, keyed by the template's logical ids. */
  static final Map<String, Map<String, Double>> USAGE =
      Map.of(
          "fnFunction4F996A82", Map.of("requestsPerMonth", 4_500_000.0, "durationMs", 12.0),
          "ApiCD79AAA0",
              Map.of(
                  "requestsPerMonth", 5_000_000.0, "requestBytes", 600.0, "responseBytes", 300.0),
          "gpuConfigACFD9444",
              Map.of("requestsPerMonth", 500_000.0, "requestBytes", 600.0, "responseBytes", 300.0));

  @Test
  void theSynthesizedTemplateAndItsSpecPriceTheSame() {
    Estimate fromTemplate =
        TemplateEstimator.estimate(TemplateEstimator.readTemplate(TEMPLATE), USAGE, "us-east-1");
    Estimate fromSpec =
        SpecEstimator.estimate(DeploymentSpec.load(Path.of("..", "snapserve.yaml")));
    assertThat(fromTemplate.total()).isEqualByComparingTo(fromSpec.total());
    for (String service :
        new String[] {
          Estimator.LAMBDA, Estimator.SAGEMAKER, Estimator.API_GATEWAY, Estimator.DATA_TRANSFER
        }) {
      assertThat(fromTemplate.cost(service))
          .as(service)
          .isEqualByComparingTo(fromSpec.cost(service));
    }
    assertThat(fromTemplate.lineItems().stream().filter(i -> i.item().startsWith("ml.g5.xlarge")))
        .hasSize(2);
  }

  @Test
  void usageForAnUnknownLogicalIdIsAWarningThatNamesIt() {
    Estimate e =
        TemplateEstimator.estimate(
            TemplateEstimator.readTemplate(TEMPLATE),
            Map.of("NoSuchFunction", Map.of("requestsPerMonth", 1.0)),
            "us-east-1");
    assertThat(e.assumptions()).anyMatch(a -> a.contains("'NoSuchFunction' names no resource"));
  }

  @Test
  void usageFilesAreCheckedFieldByField(@TempDir Path dir) throws Exception {
    Path ok =
        Files.writeString(
            dir.resolve("usage.yaml"),
            "fnFunction4F996A82: {requestsPerMonth: 1000, durationMs: 5}\n");
    assertThat(TemplateEstimator.readUsage(ok).get("fnFunction4F996A82"))
        .containsEntry("durationMs", 5.0);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "fn: {requests: 10}\n");
    assertThatThrownBy(() -> TemplateEstimator.readUsage(bad))
        .hasMessageContaining("fn.requests is not a usage field");
    Path negative = Files.writeString(dir.resolve("neg.yaml"), "fn: {requestsPerMonth: -3}\n");
    assertThatThrownBy(() -> TemplateEstimator.readUsage(negative))
        .hasMessageContaining("must be a non-negative number, got -3");
  }

  @Test
  void aFileThatIsNotCloudFormationJsonIsRejected(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("t.json"), "service: x\n");
    assertThatThrownBy(() -> TemplateEstimator.readTemplate(yaml))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("is not a CloudFormation JSON template");
    Path noResources = Files.writeString(dir.resolve("n.json"), "{\"Outputs\": {}}");
    assertThatThrownBy(() -> TemplateEstimator.readTemplate(noResources))
        .hasMessageContaining("no \"Resources\" object");
  }

  @Test
  void provisionedConcurrencyOnAnAliasIsPriced() throws Exception {
    JsonNode t = TemplateEstimator.readTemplate(TEMPLATE).deepCopy();
    // Lambda refuses SnapStart with provisioned concurrency, so the estimator does too
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            t.path("Resources").path("fnFunction4F996A82").path("Properties"))
        .remove("SnapStart");
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            t.path("Resources").path("fnAliasv1AF9C1A3B").path("Properties"))
        .putObject("ProvisionedConcurrencyConfig")
        .put("ProvisionedConcurrentExecutions", 2);
    Estimate e = TemplateEstimator.estimate(t, USAGE, "us-east-1");
    LineItem pc =
        e.lineItems().stream()
            .filter(i -> i.item().startsWith("Provisioned concurrency"))
            .findFirst()
            .orElseThrow();
    // 2 x 2 GB x 730 h x 3,600 s
    assertThat(pc.quantity()).isEqualByComparingTo("10512000");
  }
}
