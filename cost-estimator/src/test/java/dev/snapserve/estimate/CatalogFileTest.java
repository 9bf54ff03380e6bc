package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Target.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog file (as {@code prices refresh} writes one) priced instead of the shipped one. */
class CatalogFileTest {
  @TempDir Path dir;

  Path catalog(String region, String requestPerMillion) throws Exception {
    ObjectNode c = (ObjectNode) PriceCatalog.load(region).json();
    c.put("date", "2026-12-02");
    ((ObjectNode) c.get("lambda")).put("requestPerMillion", requestPerMillion);
    return Files.writeString(dir.resolve(region + "-2026-12-02.json"), c.toString());
  }

  @Test
  void pricesWithTheFilesPricesAndDate() throws Exception {
    PriceCatalog c = PriceCatalog.read(catalog("us-east-1", "0.40"));
    Estimate e =
        new Estimator(c).lambda(LambdaUsage.onDemand(128, Architecture.ARM64, 5e6, 0)).estimate();
    assertThat(e.total()).isEqualByComparingTo("2.00"); // 5M requests at $0.40 per million
    assertThat(e.catalog().date()).isEqualTo("2026-12-02");

    DeploymentSpec spec = SpecEstimatorTest.SPEC;
    Estimate s = SpecEstimator.estimate(spec, SpecUsage.NONE, c);
    // the example's 4.5M Lambda requests cost $0.90 more than at the shipped $0.20
    assertThat(s.total().subtract(SpecEstimator.estimate(spec).total()))
        .isEqualByComparingTo("0.90");
  }

  /** A catalog refreshed before an entry existed gets it from the shipped catalog. */
  @Test
  void entriesAnOlderCatalogLacksComeFromTheShippedOne(@TempDir Path tmp) throws Exception {
    ObjectNode c = (ObjectNode) PriceCatalog.load("us-east-1").json();
    ((ObjectNode) c.get("apiGateway")).remove("freeTier");
    ((ObjectNode) c.get("cloudwatchLogs")).remove("freeGb");
    ((ObjectNode) c.get("cloudwatchLogs")).put("ingestionGb", "0.60"); // its own price is kept
    Path file = Files.writeString(tmp.resolve("old.json"), c.toString());
    Estimate e =
        new Estimator(PriceCatalog.read(file))
            .api(Estimator.ApiType.REST, 2_000_000, 1, true)
            .logs(10, true)
            .estimate();
    assertThat(e.total()).isEqualByComparingTo("6.50"); // 1M x $3.50 + 5 GB x $0.60
  }

  @Test
  void aCatalogOfAnotherRegionOrAnotherFormatIsAnError() throws Exception {
    DeploymentSpec spec = SpecEstimatorTest.SPEC;
    PriceCatalog eu = PriceCatalog.read(catalog("eu-west-1", "0.20"));
    assertThatThrownBy(() -> SpecEstimator.estimate(spec, SpecUsage.NONE, eu))
        .isInstanceOf(EstimateException.class)
        .hasMessage("the price catalog is for eu-west-1 but the spec deploys to us-east-1");

    Path notACatalog = Files.writeString(dir.resolve("x.json"), "{\"region\": \"us-east-1\"}");
    assertThatThrownBy(() -> PriceCatalog.read(notACatalog))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("x.json is not a price catalog: it has no 'date'");
    Path broken = Files.writeString(dir.resolve("y.json"), "{\"region\": ");
    assertThatThrownBy(() -> PriceCatalog.read(broken))
        .hasMessageContaining("cannot read price catalog " + broken);
    ObjectNode mars =
        (ObjectNode) new ObjectMapper().readTree(Files.readString(catalog("us-east-1", "0.2")));
    mars.put("region", "mars-1");
    Path m = Files.writeString(dir.resolve("mars.json"), mars.toString());
    assertThatThrownBy(() -> PriceCatalog.read(m))
        .hasMessageContaining(
            "region 'mars-1' is not one of eu-west-1, us-east-1, us-east-2, us-west-2");
  }
}
