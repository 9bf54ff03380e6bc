package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Target.Architecture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  static final DeploymentSpec SPEC = SpecEstimatorTest.SPEC;

  static DeploymentSpec withGpuThroughput(int invocationsPerInstancePerMinute) throws Exception {
    Path file = SpecEstimatorTest.EXAMPLE;
    String yaml =
        Files.readString(file)
            .replace(
                "targetInvocationsPerInstance: 1000",
                "targetInvocationsPerInstance: " + invocationsPerInstancePerMinute);
    return DeploymentSpec.parse(yaml, file.toAbsolutePath());
  }

  @Test
  void atTheExamplesGpuThroughputLambdaStaysCheaper() {
    // 1,000 invocations per instance-minute: every 43.8M requests a month add a $1,027.84 instance
    Comparison c = Comparison.of(SPEC, 1e5, 1e10, 11);
    assertThat(c.series())
        .extracting(Comparison.Series::name)
        .contains(
            "Lambda arm64 2048 MB + HTTP API", "SageMaker ml.g5.xlarge autoscaled + HTTP API");
    assertThat(c.breakEvens()).noneMatch(b -> b.cheaperAbove().startsWith("SageMaker ml.g5"));
    assertThat(c.table()).contains("Break-even points").contains("requests/month");
  }

  @Test
  void aBusyGpuEndpointBeatsLambdaAboveItsBreakEven() throws Exception {
    // 120,000 invocations per instance-minute (2,000/s on one A10G)
    Comparison c = Comparison.of(withGpuThroughput(120_000), 1e5, 1e10, 26);
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
    // Lambda costs ~$0.00000052 a request (12 ms x 2 GB arm64 + the request fee); the two
    // variants' minimum instances ($2,055.68) plus data processed ($0.016/GB of 900 B a request)
    // match that near 4 billion requests a month
    assertThat(be.requestsPerMonth()).isBetween(3.5e9, 4.6e9);
    Estimate lambdaAt =
        new Estimator(PriceCatalog.load("us-east-1"))
            .lambda(LambdaUsage.onDemand(2048, Architecture.ARM64, be.requestsPerMonth(), 12))
            .api(Estimator.ApiType.HTTP, be.requestsPerMonth(), 600 / 1024.0)
            .dataTransferOut(be.requestsPerMonth() * 300 / (double) (1L << 30), false)
            .estimate();
    assertThat(lambdaAt.total().subtract(be.monthlyUsd()).abs()).isLessThan(BigDecimal.ONE);
  }

  @Test
  void chartIsARealPng() throws Exception {
    byte[] png = Comparison.of(SPEC, 1e5, 1e9, 12).chartPng(900, 500);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(500);
  }

  @Test
  void chartIsAWellFormedSvgWithEverySeries() throws Exception {
    Comparison c = Comparison.of(SPEC, 1e5, 1e9, 12);
    String svg = c.chartSvg(900, 500);
    org.w3c.dom.Element root =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("svg");
    assertThat(Double.parseDouble(root.getAttribute("width"))).isEqualTo(900.0);
    assertThat(root.getAttribute("viewBox").split(" "))
        .containsExactly("0.0", "0.0", "900.0", "500.0");
    for (Comparison.Series s : c.series()) {
      assertThat(svg).contains(s.name());
    }
    // ids from a fixed prefix (JFreeSVG's default is taken from the clock once per JVM)
    assertThat(svg).contains("id='snapserve-").doesNotContain("id='_");
    assertThat(Comparison.of(SPEC, 1e5, 1e9, 12).chartSvg(900, 500)).isEqualTo(svg);
  }

  @Test
  void everyTextIsInTheShippedFont() {
    // JFreeChart's defaults (Tahoma, SansSerif) are whatever the machine has; with no fonts
    // installed AWT throws "No physical fonts found" (the chart tests then fail: run them with
    // /usr/share/fonts hidden to check). Text the SVG keeps as text names its font; the rotated
    // axis label and the tick labels are glyph outlines, drawn from the same shipped font.
    String svg = Comparison.of(SPEC, 1e5, 1e9, 12).chartSvg(900, 500);
    var families =
        java.util.regex.Pattern.compile("font-family: ?([^;']*);")
            .matcher(svg)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(families).isNotEmpty().allMatch("DejaVu Sans, sans-serif"::equals);
    assertThat(svg).contains("font-size: 20px; font-weight: bold;"); // the title
  }

  @Test
  void aJava2dErrorBecomesAChartExceptionThatNamesIt() {
    assertThatThrownBy(
            () ->
                Comparison.drawing(
                    () -> {
                      throw new Error("Probable fatal error: No physical fonts found.");
                    }))
        .isInstanceOf(ChartException.class)
        .hasMessage(
            "cannot draw the chart: java.lang.Error: Probable fatal error: No physical fonts found.");
    assertThatThrownBy(
            () ->
                Comparison.drawing(
                    () -> {
                      throw new OutOfMemoryError("Java heap space");
                    }))
        .isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  void everyBreakEvenIsDrawnAsAPoint() throws Exception {
    Comparison c = Comparison.of(withGpuThroughput(120_000), 1e5, 1e10, 26);
    assertThat(c.breakEvens()).hasSizeGreaterThan(1);
    String svg = c.chartSvg(900, 500);
    assertThat(svg).contains("break-even points");
    // one circle (a path of curves, filled and outlined) per crossing; the legend adds one
    long circles =
        java.util.regex.Pattern.compile("<path d='([^']*C[^']*)'")
            .matcher(svg)
            .results()
            .map(m -> m.group(1))
            .distinct()
            .count();
    assertThat(circles).isEqualTo(c.breakEvens().size() + 1);
  }

  @Test
  void rejectsAnEmptyRange() {
    assertThatThrownBy(() -> Comparison.of(SPEC, 1e6, 1e5, 10))
        .hasMessageContaining("0 < from < to");
  }
}
