package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixture {@code templates/digits-api.template.json} is the template the cdk module synthesizes
 * from the repository's snapserve.yaml ({@code SnapserveApp.build} + {@code app.synth()}, recorded
 * 2026-12-02), so the spec and its template must price the same.
 */
class TemplateEstimatorTest {
  static final ObjectMapper JSON = new ObjectMapper();
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
    Estimate fromSpec = SpecEstimator.estimate(SpecEstimatorTest.SPEC);
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

  static ObjectNode template() {
    return (ObjectNode) TemplateEstimator.readTemplate(TEMPLATE).deepCopy();
  }

  static ObjectNode props(JsonNode t, String id) {
    return (ObjectNode) t.path("Resources").path(id).path("Properties");
  }

  static Estimate price(JsonNode t, Map<String, Map<String, Double>> usage) {
    return TemplateEstimator.estimate(t, usage, "us-east-1");
  }

  @Test
  void aResourceThatIsNotAnObjectIsAnErrorNamingIt() throws Exception {
    JsonNode t = JSON.readTree("{\"Resources\": {\"X\": 5}}");
    assertThatThrownBy(() -> price(t, Map.of()))
        .isInstanceOf(EstimateException.class)
        .hasMessage("resource 'X' is not an object, got 5");
    assertThatThrownBy(() -> TemplateEstimator.usageStub(t)).hasMessageContaining("'X'");
    JsonNode noType = JSON.readTree("{\"Resources\": {\"Y\": {\"Properties\": {}}}}");
    assertThatThrownBy(() -> price(noType, Map.of()))
        .hasMessage("resource 'Y' has no \"Type\" string");
  }

  /** Resource, JSON pointer of the property under Properties, bad value, message. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fnFunction4F996A82|/MemorySize|\"lots\"|fnFunction4F996A82: MemorySize must be a"
            + " non-negative number, got \"lots\"",
        "fnFunction4F996A82|/MemorySize|2048.5|fnFunction4F996A82: MemorySize must be a whole"
            + " number, got 2048.5",
        "fnFunction4F996A82|/MemorySize|-1|fnFunction4F996A82: MemorySize must be a non-negative"
            + " number, got -1",
        "fnFunction4F996A82|/EphemeralStorage/Size|[512]|fnFunction4F996A82: EphemeralStorage.Size"
            + " must be a non-negative number, got [512]",
        "fnAliasv1AF9C1A3B|/ProvisionedConcurrencyConfig/ProvisionedConcurrentExecutions|\"two\"|"
            + "fnAliasv1AF9C1A3B: ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions must"
            + " be a non-negative number, got \"two\"",
        "gpuConfigACFD9444|/ProductionVariants/0/InitialInstanceCount|true|gpuConfigACFD9444:"
            + " ProductionVariants[cnn].InitialInstanceCount must be a non-negative number, got"
            + " true",
        "gpuConfigACFD9444|/ProductionVariants/1/InitialVariantWeight|\"most\"|gpuConfigACFD9444:"
            + " ProductionVariants[former].InitialVariantWeight must be a non-negative number, got"
            + " \"most\"",
        "gpuScalingcnn630F5BD2|/MinCapacity|\"one\"|gpuScalingcnn630F5BD2: MinCapacity must be a"
            + " non-negative number, got \"one\"",
        "gpuScalingformer6B457AD5|/MaxCapacity|{}|gpuScalingformer6B457AD5: MaxCapacity must be a"
            + " non-negative number, got {}",
        "fnFunction4F996A82|/Architectures|[\"graviton\"]|fnFunction4F996A82: Architectures must"
            + " be [\"x86_64\"] or [\"arm64\"], got [\"graviton\"]",
      })
  void aPricedPropertyOfTheWrongTypeIsAnErrorNamingItAndItsValue(
      String id, String pointer, String value, String message) throws Exception {
    ObjectNode t = template();
    JsonPointer at = JsonPointer.compile(pointer);
    ObjectNode parent = at.head().matches() ? props(t, id) : props(t, id).withObject(at.head());
    parent.set(at.last().getMatchingProperty(), JSON.readTree(value));
    assertThatThrownBy(() -> price(t, USAGE))
        .isInstanceOf(EstimateException.class)
        .hasMessage(message);
  }

  @Test
  void numericStringsAreNumbersAndIntrinsicsFallBackToADefaultOrAParameterDefault()
      throws Exception {
    java.math.BigDecimal atSpec = price(template(), USAGE).cost(Estimator.LAMBDA);

    ObjectNode quoted = template();
    props(quoted, "fnFunction4F996A82").put("MemorySize", "2048");
    assertThat(price(quoted, USAGE).cost(Estimator.LAMBDA)).isEqualByComparingTo(atSpec);

    ObjectNode ref = template();
    ref.with("Parameters").putObject("Memory").put("Type", "Number").put("Default", "2048");
    props(ref, "fnFunction4F996A82").set("MemorySize", JSON.readTree("{\"Ref\": \"Memory\"}"));
    Estimate byRef = price(ref, USAGE);
    assertThat(byRef.cost(Estimator.LAMBDA)).isEqualByComparingTo(atSpec);
    assertThat(byRef.assumptions())
        .contains(
            "fnFunction4F996A82: MemorySize is {\"Ref\":\"Memory\"}; priced at its default 2048");

    ObjectNode unresolved = template();
    props(unresolved, "fnFunction4F996A82")
        .set("MemorySize", JSON.readTree("{\"Fn::ImportValue\": \"shared-memory\"}"));
    ObjectNode absent = template();
    props(absent, "fnFunction4F996A82").remove("MemorySize");
    Estimate fallback = price(unresolved, USAGE);
    assertThat(fallback.cost(Estimator.LAMBDA))
        .isEqualByComparingTo(price(absent, USAGE).cost(Estimator.LAMBDA))
        .isLessThan(atSpec);
    assertThat(fallback.assumptions())
        .contains(
            "fnFunction4F996A82: MemorySize is {\"Fn::ImportValue\":\"shared-memory\"}, not"
                + " resolved; priced at the default 128");
  }

  @Test
  void aServerlessVariantWhoseMemoryCannotBeResolvedIsAnError() throws Exception {
    ObjectNode t = template();
    ObjectNode variant =
        (ObjectNode) props(t, "gpuConfigACFD9444").path("ProductionVariants").get(0);
    variant
        .putObject("ServerlessConfig")
        .set("MemorySizeInMB", JSON.readTree("{\"Ref\": \"Mem\"}"));
    assertThatThrownBy(() -> price(t, USAGE))
        .hasMessage(
            "gpuConfigACFD9444: ProductionVariants[cnn].ServerlessConfig.MemorySizeInMB is"
                + " {\"Ref\":\"Mem\"}, which cannot be resolved; give a number");
  }

  @Test
  void aUsageEntryThatIsNotAMapIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path five = Files.writeString(dir.resolve("u.yaml"), "fnFunction4F996A82: 5\n");
    assertThatThrownBy(() -> TemplateEstimator.readUsage(five))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("fnFunction4F996A82 must map usage fields to numbers")
        .hasMessageEndingWith("got 5");
    Path empty = Files.writeString(dir.resolve("e.yaml"), "ApiCD79AAA0:\n");
    assertThatThrownBy(() -> TemplateEstimator.readUsage(empty))
        .hasMessageContaining("ApiCD79AAA0 must map usage fields");
  }

  @Test
  void usageOnAnAliasOrEndpointIsAWarningNamingTheEntryThatCarriesTheTraffic() {
    Estimate e =
        price(
            template(),
            Map.of(
                "fnAliasv1AF9C1A3B", Map.of("requestsPerMonth", 1.0),
                "fnFunctionCurrentVersionA9FF6E8Fec2b9bbc01e20629ff3893a47a358d58",
                    Map.of("requestsPerMonth", 1.0),
                "gpuEndpoint0A7130D0", Map.of("requestsPerMonth", 1.0)));
    assertThat(e.assumptions())
        .contains(
            "WARNING usage for 'fnAliasv1AF9C1A3B' names an AWS::Lambda::Alias; its function's"
                + " entry 'fnFunction4F996A82' carries the traffic; ignored",
            "WARNING usage for 'fnFunctionCurrentVersionA9FF6E8Fec2b9bbc01e20629ff3893a47a358d58'"
                + " names an AWS::Lambda::Version; its function's entry 'fnFunction4F996A82'"
                + " carries the traffic; ignored",
            "WARNING usage for 'gpuEndpoint0A7130D0' names an AWS::SageMaker::Endpoint; its"
                + " endpoint config's entry 'gpuConfigACFD9444' carries the traffic; ignored");
    assertThat(TemplateEstimator.usageStub(template()))
        .contains(
            "# fnAliasv1AF9C1A3B (AWS::Lambda::Alias): its traffic goes on fnFunction4F996A82\n")
        .contains(
            "# gpuEndpoint0A7130D0 (AWS::SageMaker::Endpoint): its traffic goes on"
                + " gpuConfigACFD9444\n")
        .doesNotContain("spilloverRequestsPerMonth");
  }

  @Test
  void requestsBeyondProvisionedConcurrencyAreBilledOnDemand() {
    ObjectNode t = template();
    props(t, "fnFunction4F996A82").remove("SnapStart");
    props(t, "fnAliasv1AF9C1A3B")
        .putObject("ProvisionedConcurrencyConfig")
        .put("ProvisionedConcurrentExecutions", 2);
    Estimate e =
        price(
            t,
            Map.of(
                "fnFunction4F996A82",
                Map.of(
                    "requestsPerMonth",
                    4_500_000.0,
                    "durationMs",
                    12.0,
                    "spilloverRequestsPerMonth",
                    1_000_000.0)));
    assertThat(quantity(e, "Requests (on-demand)")).isEqualByComparingTo("1");
    assertThat(quantity(e, "Requests (provisioned concurrency)")).isEqualByComparingTo("3.5");
    assertThat(TemplateEstimator.usageStub(t)).contains("spilloverRequestsPerMonth: 0");
    assertThatThrownBy(
            () ->
                price(
                    t,
                    Map.of(
                        "fnFunction4F996A82",
                        Map.of("requestsPerMonth", 10.0, "spilloverRequestsPerMonth", 11.0))))
        .hasMessageContaining("fnFunction4F996A82: spilloverRequestsPerMonth (11) is more than");
  }

  static java.math.BigDecimal quantity(Estimate e, String item) {
    return e.lineItems().stream()
        .filter(i -> i.item().equals(item))
        .findFirst()
        .orElseThrow(() -> new AssertionError(item + " not in " + e.lineItems()))
        .quantity();
  }

  @Test
  void theResourceTypesOutsideTheEstimateAreListedWithCounts() {
    Estimate e = price(template(), USAGE);
    assertThat(e.assumptions())
        .contains(
            "not priced (outside this estimate): 10 AWS::CloudWatch::Alarm, 6"
                + " AWS::ApiGatewayV2::Route, 6 AWS::IAM::Role, 6 AWS::Lambda::Permission, 2"
                + " AWS::ApiGatewayV2::Integration, 2 AWS::CodeDeploy::DeploymentGroup, 2"
                + " AWS::IAM::Policy, 2 AWS::SageMaker::Model, 1"
                + " AWS::ApiGatewayV2::Authorizer, 1 AWS::ApiGatewayV2::Stage, 1"
                + " AWS::CloudWatch::Dashboard, 1 AWS::CodeDeploy::Application, 1 AWS::S3::Bucket,"
                + " 1 AWS::S3::BucketPolicy");
    // log groups are priced, by their ingestion usage; without it they say so
    assertThat(e.assumptions()).contains("fnLogs4D96AD1B: no usage, priced at zero log ingestion");
  }

  /** What the estimator cannot follow is said, never dropped or guessed silently. */
  @Test
  void whatCannotBeResolvedIsAWarningOrAnError() throws Exception {
    // provisioned concurrency on an alias whose function is built with Fn::Join
    ObjectNode t = template();
    props(t, "fnFunction4F996A82").remove("SnapStart");
    ObjectNode alias = props(t, "fnAliasv1AF9C1A3B");
    alias.putObject("ProvisionedConcurrencyConfig").put("ProvisionedConcurrentExecutions", 2);
    alias.set("FunctionName", JSON.readTree("{\"Fn::Join\": [\"\", [{\"Ref\": \"x\"}]]}"));
    alias.remove("FunctionVersion"); // else the function is found through its version
    assertThat(price(t, USAGE).assumptions())
        .anyMatch(
            a ->
                a.startsWith(
                    "WARNING fnAliasv1AF9C1A3B: its provisioned concurrency is not priced"));

    // a provisioned concurrency that cannot be resolved has no default to fall back on
    ObjectNode u = template();
    props(u, "fnFunction4F996A82").remove("SnapStart");
    props(u, "fnAliasv1AF9C1A3B")
        .putObject("ProvisionedConcurrencyConfig")
        .set("ProvisionedConcurrentExecutions", JSON.readTree("{\"Fn::If\": [\"c\", 2, 0]}"));
    assertThatThrownBy(() -> price(u, USAGE))
        .hasMessageContaining("ProvisionedConcurrentExecutions")
        .hasMessageContaining("give a number");

    // Architectures as an intrinsic: priced as x86_64, and said
    ObjectNode v = template();
    props(v, "fnFunction4F996A82").set("Architectures", JSON.readTree("{\"Ref\": \"Arch\"}"));
    assertThat(price(v, USAGE).assumptions())
        .anyMatch(a -> a.startsWith("fnFunction4F996A82: Architectures is {\"Ref\":\"Arch\"}"));

    // Java's number parser would take "1024d"; CloudFormation does not
    ObjectNode w = template();
    props(w, "fnFunction4F996A82").put("MemorySize", "1024d");
    assertThatThrownBy(() -> price(w, USAGE)).hasMessageContaining("MemorySize");

    // an Fn::ForEach block of the language extensions is not expanded, and said
    ObjectNode x = template();
    ((ObjectNode) x.get("Resources")).set("Fn::ForEach::Queues", JSON.readTree("[\"Q\", [], {}]"));
    assertThat(price(x, USAGE).assumptions())
        .anyMatch(a -> a.startsWith("WARNING Fn::ForEach::Queues: Fn::ForEach"));
  }
}
