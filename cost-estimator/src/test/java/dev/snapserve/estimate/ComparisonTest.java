package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.spec.DeploymentSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  static final DeploymentSpec SPEC = DeploymentSpec.load(Path.of("..", "snapserve.yaml"));

  @Test
  void lambdaIsCheapestAtLowTrafficAndTheGpuEndpointWinsAtHighTraffic() {
    Comparison c = Comparison.of(SPEC, 1e5, 1e10, 26);
    assertThat(c.series())
        .extracting(Comparison.Series::name)
        .contains("Lambda arm64 2048 MB + HTTP API", "SageMaker ml.g5.xlarge x1-4 + HTTP API");
    Comparison.Series lambdaArm = c.series().get(0);
    Comparison.Series gpu =
        c.series().stream().filter(s -> s.name().startsWith("SageMaker ml.g5")).findFirst().get();
    assertThat(lambdaArm.monthlyUsd().getFirst()).isLessThan(gpu.monthlyUsd().getFirst());
    assertThat(lambdaArm.monthlyUsd().getLast()).isGreaterThan(gpu.monthlyUsd().getLast());

    Comparison.BreakEven be =
        c.breakEvens().stream()
            .filter(
                b ->
                    b.cheaperBelow().equals(lambdaArm.name())
                        && b.cheaperAbove().equals(gpu.name()))
            .findFirst()
            .orElseThrow();
    // at the crossing both options cost the same to within a cent
    Estimate lambdaAt =
        new Estimator(PriceCatalog.load("us-east-1"))
            .lambda(
                LambdaUsage.onDemand(
                    2048, dev.snapserve.spec.Target.Architecture.ARM64, be.requestsPerMonth(), 12))
            .estimate();
    assertThat(be.requestsPerMonth()).isBetween(1e8, 1e10);
    assertThat(lambdaAt.total()).isGreaterThan(BigDecimal.valueOf(1000));
    // arm64 is always cheaper than x86_64 at equal duration: they never cross
    assertThat(c.breakEvens())
        .noneMatch(
            b ->
                b.cheaperBelow().contains("x86_64")
                    && b.cheaperAbove().contains("Lambda arm64 2048 MB + HTTP"));
    assertThat(c.table()).contains("Break-even points").contains("requests/month");
  }

  @Test
  void chartIsARealPng() throws Exception {
    byte[] png = Comparison.of(SPEC, 1e5, 1e9, 12).chartPng(900, 500);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(500);
  }

  @Test
  void rejectsAnEmptyRange() {
    assertThatThrownBy(() -> Comparison.of(SPEC, 1e6, 1e5, 10))
        .hasMessageContaining("0 < from < to");
  }
}
