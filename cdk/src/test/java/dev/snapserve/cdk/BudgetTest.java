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

/** The example spec with a budget below its estimate: synth fails and shows the breakdown. */
class BudgetTest {
  @TempDir Path tmp;

  @Test
  void synthFailsWithTheBreakdownWhenTheEstimateExceedsTheBudget() throws Exception {
    Path example = Path.of(System.getProperty("snapserve.root"), "snapserve.yaml");
    String yaml = Files.readString(example);
    assertThat(yaml).containsPattern("monthlyUsd: \\d+");
    DeploymentSpec spec =
        DeploymentSpec.parse(yaml.replaceFirst("monthlyUsd: \\d+", "monthlyUsd: 100"), example);
    Path zip = TestZips.lambdaZip(tmp.resolve("dist"), "fn.zip");
    App app = new App(AppProps.builder().outdir(tmp.resolve("cdk.out").toString()).build());
    SnapserveApp.build(app, spec, (s, target, versions) -> zip);
    assertThatThrownBy(app::synth)
        .hasMessageContaining("exceeds the spec's budget $100.00/month (budget.monthlyUsd)")
        .hasMessageContaining("Amazon SageMaker")
        .hasMessageContaining("ml.g5.xlarge");
    // the estimate is in the cloud assembly either way, for whoever has to decide
    assertThat(tmp.resolve("cdk.out/cost-estimate.md")).isRegularFile();
  }
}
