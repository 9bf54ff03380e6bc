package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.spec.DeploymentSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SpecEstimatorTest {
  /** The repository's example spec, shared by the estimator's tests. */
  static final Path EXAMPLE = Path.of("..", "snapserve.yaml");

  static final DeploymentSpec SPEC = DeploymentSpec.load(EXAMPLE);

  @Test
  void pricesTheExampleSpecTargetByTarget() {
    Estimate e = SpecEstimator.estimate(SPEC);
    // fn: 90% of 5M = 4.5M requests x 12 ms x 2 GB arm = 108,000 GB-s x $0.0000133334 + $0.90
    assertThat(e.cost(Estimator.LAMBDA)).isEqualByComparingTo("2.3400072");
    // gpu: 500k requests/month is ~11 a minute: each of its two variants (cnn 80%, former 20%)
    // scales on its own and stays at its minimum of one ml.g5.xlarge all month
    var gpu = e.lineItems().stream().filter(i -> i.item().startsWith("ml.g5.xlarge")).toList();
    assertThat(gpu).hasSize(2);
    assertThat(gpu.get(0).quantity()).isEqualByComparingTo("730");
    assertThat(gpu.get(0).cost().add(gpu.get(1).cost())).isEqualByComparingTo("2055.68");
    // HTTP API: 5M requests of 600 B
    assertThat(e.cost(Estimator.API_GATEWAY)).isEqualByComparingTo("5.00");
    assertThat(e.total())
        .isEqualByComparingTo(sumOf(e).setScale(2, java.math.RoundingMode.HALF_UP));
    assertThat(e.catalog().region()).isEqualTo("us-east-1");
    assertThat(e.assumptions()).anyMatch(a -> a.contains("no cache or restore charge"));
  }

  @Test
  void theExampleFitsItsBudget() {
    DeploymentSpec spec = SPEC;
    Estimate e = SpecEstimator.estimate(spec);
    assertThat(spec.budgetMonthlyUsd()).contains(2500.0);
    // the GPU endpoint's always-on instance alone is over $1,000
    assertThat(e.total()).isBetween(BigDecimal.valueOf(1000), BigDecimal.valueOf(2500));
  }

  @Test
  void jsonHasExactlyTheDocumentedShape() throws Exception {
    Estimate e = SpecEstimator.estimate(SPEC);
    JsonNode j = new ObjectMapper().readTree(EstimateReport.json(e));
    assertThat(j.fieldNames())
        .toIterable()
        .containsExactly("currency", "total", "lineItems", "assumptions", "catalog");
    assertThat(j.get("currency").asText()).isEqualTo("USD");
    assertThat(j.get("total").decimalValue()).isEqualByComparingTo(e.total());
    assertThat(j.get("lineItems").get(0).fieldNames())
        .toIterable()
        .containsExactly("service", "item", "quantity", "unit", "unitPrice", "cost");
    assertThat(j.get("catalog").fieldNames())
        .toIterable()
        .containsExactly("date", "region", "source");
  }

  @Test
  void tableAndMarkdownShowEachFormula() {
    Estimate e = SpecEstimator.estimate(SPEC);
    String table = EstimateReport.render(e, EstimateReport.Format.TABLE);
    assertThat(table).contains("4,500,000 x 12 ms (rounded up to 1 ms) x 2 GB = 108,000 GB-s");
    assertThat(table).contains("Total: $" + String.format(Locale.ROOT, "%,.2f", e.total()));
    String md = EstimateReport.render(e, EstimateReport.Format.MARKDOWN);
    assertThat(md).startsWith("| Service | Item |").contains("730 instance-hours x $1.408");
    String csv = EstimateReport.render(e, EstimateReport.Format.CSV);
    assertThat(csv.lines().count()).isEqualTo(e.lineItems().size() + 2);
  }

  static BigDecimal sumOf(Estimate e) {
    return e.lineItems().stream().map(LineItem::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
