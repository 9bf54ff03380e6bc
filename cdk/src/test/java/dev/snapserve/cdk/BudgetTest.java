package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.spec.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The example spec against its budget at synth, and specs the shipped catalogs cannot price. */
class BudgetTest {
  @TempDir Path tmp;

  /** The example spec with (regex, replacement) edits; its bundles stay where they are. */
  private static DeploymentSpec example(String... edits) throws Exception {
    Path example = Path.of(System.getProperty("snapserve.root"), "snapserve.yaml");
    String yaml = Files.readString(example);
    for (int i = 0; i < edits.length; i += 2) {
      assertThat(yaml).containsPattern(edits[i]);
      yaml = yaml.replaceFirst(edits[i], edits[i + 1]);
    }
    return DeploymentSpec.parse(yaml, example);
  }

  private App synthesizable(DeploymentSpec spec) throws Exception {
    Path zip = TestZips.lambdaZip(tmp.resolve("dist"), "fn.zip");
    App app = new App(AppProps.builder().outdir(tmp.resolve("cdk.out").toString()).build());
    SnapserveApp.build(app, spec, (s, target, versions) -> zip);
    return app;
  }

  @Test
  void synthFailsWithTheBreakdownWhenTheEstimateExceedsTheBudget() throws Exception {
    App app = synthesizable(example("monthlyUsd: \\d+", "monthlyUsd: 100"));
    assertThatThrownBy(app::synth)
        .hasMessageContaining("exceeds the spec's budget $100.00/month (budget.monthlyUsd)")
        .hasMessageContaining("Amazon SageMaker")
        .hasMessageContaining("ml.g5.xlarge");
    // the estimate is in the cloud assembly either way, for whoever has to decide
    assertThat(tmp.resolve("cdk.out/cost-estimate.md")).isRegularFile();
  }

  @Test
  void aRegionWithoutPricesSynthesizesWithoutABudgetButCannotCheckOne() throws Exception {
    // us-west-1 is a valid region that the shipped catalogs do not cover
    String region = "region: us-east-1";
    synthesizable(example(region, "region: us-west-1", "budget:\\n  monthlyUsd: \\d+", "")).synth();
    assertThat(Files.readString(tmp.resolve("cdk.out/cost-estimate.md")))
        .startsWith("# Not priced")
        .contains("us-west-1");

    App budgeted = synthesizable(example(region, "region: us-west-1"));
    assertThatThrownBy(budgeted::synth)
        .hasMessageContaining("budget.monthlyUsd cannot be checked")
        .hasMessageContaining("us-west-1");
  }
}
