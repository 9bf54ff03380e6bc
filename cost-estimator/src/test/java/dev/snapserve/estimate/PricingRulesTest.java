package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.spec.Target.Architecture;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per pricing rule, with hand-computed exact amounts from the us-east-1 catalog. */
class PricingRulesTest {
  final Estimator est = new Estimator(PriceCatalog.load("us-east-1"));

  static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  List<LineItem> items() {
    return est.estimate().lineItems();
  }

  LineItem item(String prefix) {
    return items().stream().filter(i -> i.item().startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void lambdaRequestsArePricedPerMillion() {
    est.lambda(LambdaUsage.onDemand(128, Architecture.ARM64, 2_500_000, 1));
    LineItem r = item("Requests");
    assertThat(r.quantity()).isEqualByComparingTo("2.5");
    assertThat(r.cost()).isEqualByComparingTo("0.50");
  }

  @Test
  void durationPriceDependsOnArchitecture() {
    Estimate x86 =
        new Estimator(est.catalog())
            .lambda(LambdaUsage.onDemand(1024, Architecture.X86_64, 1_000_000, 1000))
            .estimate();
    Estimate arm =
        new Estimator(est.catalog())
            .lambda(LambdaUsage.onDemand(1024, Architecture.ARM64, 1_000_000, 1000))
            .estimate();
    // 1,000,000 GB-s each
    assertThat(x86.lineItems().get(1).cost()).isEqualByComparingTo("16.6667");
    assertThat(arm.lineItems().get(1).cost()).isEqualByComparingTo("13.3334");
  }

  @Test
  void x86DurationCrossingTheSixBillionTierIsPricedPiecewise() {
    // 10240 MB (10 GB) x 1 s x 700M requests = 7,000,000,000 GB-s: 6B in tier 1, 1B in tier 2
    est.lambda(LambdaUsage.onDemand(10_240, Architecture.X86_64, 700_000_000, 1000));
    List<LineItem> duration =
        items().stream().filter(i -> i.item().startsWith("Duration")).toList();
    assertThat(duration).hasSize(2);
    assertThat(duration.get(0).quantity()).isEqualByComparingTo("6000000000");
    assertThat(duration.get(0).cost()).isEqualByComparingTo("100000.2");
    assertThat(duration.get(1).quantity()).isEqualByComparingTo("1000000000");
    assertThat(duration.get(1).cost()).isEqualByComparingTo("15000");
    assertThat(duration.get(1).item()).contains("tier 2 (6,000,000,000-15,000,000,000 GB-s)");
  }

  @Test
  void armTierBoundariesDifferFromX86() {
    // 7,000,000,000 GB-s on arm stays in tier 1 (7.5B); 20B crosses into tier 3 (above 18.75B)
    est.lambda(LambdaUsage.onDemand(10_240, Architecture.ARM64, 700_000_000, 1000));
    assertThat(items().stream().filter(i -> i.item().startsWith("Duration")).count()).isEqualTo(1);
    Estimate big =
        new Estimator(est.catalog())
            .lambda(LambdaUsage.onDemand(10_240, Architecture.ARM64, 2_000_000_000, 1000))
            .estimate();
    List<LineItem> d =
        big.lineItems().stream().filter(i -> i.item().startsWith("Duration")).toList();
    assertThat(d)
        .extracting(LineItem::quantity)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(bd("7500000000"), bd("11250000000"), bd("1250000000"));
    assertThat(d.get(2).unitPrice()).isEqualByComparingTo("0.0000106667");
  }

  @Test
  void durationIsBilledInWholeMilliseconds() {
    // 1.2 ms is billed as 2 ms: 1,000,000 x 0.002 s x 1 GB = 2,000 GB-s
    est.lambda(LambdaUsage.onDemand(1024, Architecture.X86_64, 1_000_000, 1.2));
    assertThat(item("Duration").quantity()).isEqualByComparingTo("2000");
  }

  @Test
  void freeTierOnlyWhenAskedAndNeverForProvisionedConcurrency() {
    LambdaUsage u =
        LambdaUsage.onDemand(1024, Architecture.X86_64, 500_000, 100)
            .withProvisioned(10, 730, 3_000_000, 100);
    Estimate paid = new Estimator(est.catalog()).lambda(u).estimate();
    Estimate free = new Estimator(est.catalog()).lambda(u.withFreeTier(true)).estimate();
    // on-demand: 500k requests and 50,000 GB-s, both inside the free tier
    assertThat(free.total()).isLessThan(paid.total());
    assertThat(paid.total().subtract(free.total()))
        .isEqualByComparingTo(
            new BigDecimal("0.10")
                .add(new BigDecimal("0.833335"))
                .setScale(2, java.math.RoundingMode.HALF_UP));
    LineItem pcRequests =
        free.lineItems().stream()
            .filter(i -> i.item().equals("Requests (provisioned concurrency)"))
            .findFirst()
            .orElseThrow();
    assertThat(pcRequests.cost()).isEqualByComparingTo("0.60");
    assertThat(free.assumptions()).anyMatch(a -> a.contains("free tier"));
    assertThat(paid.assumptions()).noneMatch(a -> a.contains("free tier"));
  }

  @Test
  void ephemeralStorageIsChargedOnlyAbove512Mb() {
    est.lambda(LambdaUsage.onDemand(1024, Architecture.X86_64, 1_000_000, 1000));
    assertThat(items()).noneMatch(i -> i.item().startsWith("Ephemeral"));
    Estimate e =
        new Estimator(est.catalog())
            .lambda(
                LambdaUsage.onDemand(1024, Architecture.X86_64, 1_000_000, 1000)
                    .withEphemeralMiB(10_240))
            .estimate();
    LineItem eph =
        e.lineItems().stream().filter(i -> i.item().startsWith("Ephemeral")).findFirst().get();
    // (10240 - 512) / 1024 = 9.5 GB x 1,000,000 s
    assertThat(eph.quantity()).isEqualByComparingTo("9500000");
    assertThat(eph.cost()).isEqualByComparingTo("0.29355");
  }

  @Test
  void provisionedConcurrencyChargesConfiguredTimeAndItsOwnDurationRate() {
    est.lambda(LambdaUsage.onDemand(2048, Architecture.ARM64, 0, 0).withProvisioned(5, 730, 0, 0));
    LineItem pc = item("Provisioned concurrency");
    // 5 x 2 GB x 730 h x 3600 s = 26,280,000 GB-s x $0.0000033334
    assertThat(pc.quantity()).isEqualByComparingTo("26280000");
    assertThat(pc.cost()).isEqualByComparingTo("87.601752");
    assertThat(item("Duration (provisioned concurrency, arm64)").unitPrice())
        .isEqualByComparingTo("0.0000077778");
  }

  @Test
  void snapStartIsFreeOnJavaAndChargedOnPython() {
    LambdaUsage base = LambdaUsage.onDemand(1024, Architecture.X86_64, 0, 0);
    Estimate java =
        new Estimator(est.catalog()).lambda(base.withSnapStart("java21", 100, 730)).estimate();
    assertThat(java.lineItems()).noneMatch(i -> i.item().startsWith("SnapStart"));
    assertThat(java.assumptions()).anyMatch(a -> a.contains("no cache or restore charge"));

    Estimate py =
        new Estimator(est.catalog()).lambda(base.withSnapStart("python3.12", 100, 730)).estimate();
    LineItem cache =
        py.lineItems().stream()
            .filter(i -> i.item().startsWith("SnapStart cache"))
            .findFirst()
            .get();
    LineItem restore =
        py.lineItems().stream()
            .filter(i -> i.item().startsWith("SnapStart restore"))
            .findFirst()
            .get();
    assertThat(cache.quantity()).isEqualByComparingTo("2628000"); // 1 GB x 730 h
    assertThat(cache.cost()).isEqualByComparingTo("3.9540888");
    assertThat(restore.cost()).isEqualByComparingTo("0.01397998"); // 100 x 1 GB
  }

  @Test
  void snapStartCacheHasAThreeHourMinimum() {
    est.lambda(
        LambdaUsage.onDemand(2048, Architecture.X86_64, 0, 0).withSnapStart("dotnet8", 0, 1));
    LineItem cache = item("SnapStart cache");
    assertThat(cache.quantity()).isEqualByComparingTo("21600"); // 2 GB x 10,800 s
    assertThat(cache.formula()).contains("3-hour minimum");
  }

  @Test
  void httpApiMetersEach512KbAndRestDoesNot() {
    est.api(ApiType.HTTP, 1_000_000, 600); // 600 KB = 2 metered requests each
    assertThat(item("HTTP API").quantity()).isEqualByComparingTo("2");
    assertThat(item("HTTP API").cost()).isEqualByComparingTo("2.00");
    Estimate rest = new Estimator(est.catalog()).api(ApiType.REST, 1_000_000, 600).estimate();
    assertThat(rest.total()).isEqualByComparingTo("3.50");
  }

  @Test
  void httpApiAbove300MillionUsesTheSecondTier() {
    est.api(ApiType.HTTP, 500_000_000, 1);
    // 300M x $1.00 + 200M x $0.90
    assertThat(est.estimate().total()).isEqualByComparingTo("480.00");
    assertThat(items()).hasSize(2);
  }

  @Test
  void restApiTiers() {
    est.api(ApiType.REST, 1_000_000_000, 1);
    // 333M x $3.50 + 667M x $2.80
    assertThat(est.estimate().total()).isEqualByComparingTo("3033.10");
  }

  @Test
  void sagemakerInstanceHoursByTypeAndCount() {
    est.sagemaker("ml.g5.xlarge", 2, 730);
    assertThat(est.estimate().total()).isEqualByComparingTo("2055.68");
  }

  @Test
  void sagemakerServerlessGbSeconds() {
    est.sagemakerServerless(4096, 1_000_000, 250);
    assertThat(item("Serverless").quantity()).isEqualByComparingTo("1000000");
    assertThat(est.estimate().total()).isEqualByComparingTo("20.00");
  }

  @Test
  void sagemakerDataProcessedIsChargedInAndOut() {
    // two ml.c5.xlarge for 31 days: 1,488 h x $0.204 = $303.552; 110 GB x $0.016 = $1.76
    est.sagemaker("ml.c5.xlarge", 2, 24 * 31).sagemakerData(100, 10);
    assertThat(est.estimate().total()).isEqualByComparingTo("305.31");
  }

  @Test
  void sagemakerServerlessWithDataProcessed() {
    // 10M x 100 ms x 2 GB = 2,000,000 GB-s x $0.00002 = $40; 10 KB each way per request
    double gb = 10_000_000 * 10.0 / (1024 * 1024);
    est.sagemakerServerless(2048, 10_000_000, 100).sagemakerData(gb, gb);
    assertThat(est.estimate().total()).isEqualByComparingTo("43.05");
  }

  /**
   * The Cloud Functions page's "Simple event-driven function", as remembered: its figures could not
   * be read in any stored copy (see PublishedExamplesTest). The rates and free tier it needs are
   * the constants of Google's own firebase-tools (src/deploy/functions/pricing.ts, "takes data from
   * https://cloud.google.com/functions/pricing"): 128 MB / 200 MHz, 10M invocations of 300 ms: 8M x
   * $0.0000004 = $3.20; 375,000 GB-s under the 400,000 free; (600,000 - 200,000) GHz-s x $0.00001 =
   * $4.00.
   */
  @Test
  void cloudFunctionsGen1FreeTierCoversMemoryButNotAllCpu() {
    est.gcf(new GcfUsage(1, 128, 10_000_000, 300, 0, true));
    assertThat(est.estimate().total()).isEqualByComparingTo("7.20");
  }

  /**
   * The same page's "Medium-complexity HTTP function", as remembered (not read in a stored copy):
   * 256 MB / 400 MHz, 50M invocations of 500 ms, 5 KB egress each, free tier: $19.20 + $14.625 +
   * $98.00 + (238.42 - 5 GB) x $0.12.
   */
  @Test
  void cloudFunctionsGen1EgressBeyondTheFreeFiveGb() {
    est.gcf(new GcfUsage(1, 256, 50_000_000, 500, 5, true));
    assertThat(est.estimate().total()).isEqualByComparingTo("159.84");
  }

  @Test
  void apiGatewayFreeTierOnlyWhenAsked() {
    est.api(ApiType.HTTP, 2_500_000, 10, true);
    assertThat(item("HTTP API requests").quantity()).isEqualByComparingTo("1.5"); // million
    assertThat(est.estimate().total()).isEqualByComparingTo("1.50");
    assertThat(est.estimate().assumptions()).anyMatch(a -> a.contains("free tier applied"));
  }

  @Test
  void cloudWatchLogsFreeFiveGbOnlyWhenAsked() {
    est.logs(20, true).logs(20);
    assertThat(items().getFirst().formula()).isEqualTo("20 GB - 5 GB free tier; 15 GB x $0.50");
    assertThat(items())
        .extracting(LineItem::cost)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(bd("7.50"), bd("10.00"));
  }

  @Test
  void provisionedTrafficNeedsConcurrencyAndHoursFitAMonth() {
    LambdaUsage base = LambdaUsage.onDemand(1024, Architecture.X86_64, 0, 0);
    assertThatThrownBy(
            () ->
                est.lambda(
                    new LambdaUsage(
                        1024,
                        Architecture.X86_64,
                        0,
                        0,
                        false,
                        512,
                        0,
                        0,
                        1_000_000,
                        100,
                        false,
                        "java21",
                        0,
                        730)))
        .hasMessageContaining("without provisioned concurrency");
    assertThatThrownBy(() -> est.lambda(base.withProvisioned(1, 745, 0, 0)))
        .hasMessageContaining("more than a month has");
    assertThatThrownBy(() -> est.lambda(base.withSnapStart("python3.12", 0, 800)))
        .hasMessageContaining("snapstart-hours");
  }

  @Test
  void cloudFunctionsGen1RoundsUpTo100Ms() {
    // the page's own example: 260 ms is billed as 300 ms
    est.gcf(new GcfUsage(1, 1024, 1_000_000, 260, 0, false));
    assertThat(item("gen1 memory").quantity()).isEqualByComparingTo("300000");
    assertThat(item("gen1 CPU").quantity()).isEqualByComparingTo("420000"); // x 1.4 GHz
  }

  @Test
  void cloudFunctionsGen2UsesCloudRunRates() {
    est.gcf(new GcfUsage(2, 2048, 3_000_000, 150, 0, false));
    // 3M x 200 ms = 600,000 s; 1 vCPU, 2 GiB
    assertThat(item("gen2 CPU").cost()).isEqualByComparingTo("14.40");
    assertThat(item("gen2 memory").cost()).isEqualByComparingTo("3.00");
    assertThat(item("gen2 invocations").cost()).isEqualByComparingTo("1.20");
  }

  @Test
  void cloudFunctionsGen2FreeTierHasOneGbOfEgressInNorthAmerica() {
    // Cloud Run's free tier (firebase-tools V2_FREE_TIER: "egress: 1", "within north-america"):
    // 1M x 10 KB = 9.5367 GB, 1 free, the rest at $0.12; compute and requests are within the free
    est.gcf(new GcfUsage(2, 512, 1_000_000, 100, 10, true));
    assertThat(item("gen2 network egress").quantity())
        .isCloseTo(bd("8.5367"), within(bd("0.0001")));
    assertThat(est.estimate().total()).isEqualByComparingTo("1.02");
    Estimate europe =
        new Estimator(PriceCatalog.load("eu-west-1"))
            .gcf(new GcfUsage(2, 512, 1_000_000, 100, 10, true))
            .estimate();
    assertThat(europe.lineItems().stream().filter(i -> i.item().startsWith("gen2 network egress")))
        .singleElement()
        .satisfies(i -> assertThat(i.quantity()).isCloseTo(bd("9.5367"), within(bd("0.0001"))));
  }

  @Test
  void totalIsRoundedOnceAtTheEnd() {
    // three items of $0.004 each: rounding each would give $0.00, the exact sum rounds to $0.01
    for (int i = 0; i < 3; i++) est.logs(0.008);
    assertThat(est.estimate().total()).isEqualByComparingTo("0.01");
    assertThat(items().get(0).cost()).isEqualByComparingTo("0.004");
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> PriceCatalog.load("mars-north-1"))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("eu-west-1, us-east-1, us-east-2, us-west-2");
    assertThatThrownBy(() -> est.sagemaker("ml.z9.huge", 1, 1))
        .hasMessageContaining("ml.z9.huge")
        .hasMessageContaining("ml.g5.xlarge");
    assertThatThrownBy(() -> est.lambda(LambdaUsage.onDemand(1024, Architecture.X86_64, -5, 10)))
        .hasMessage("requests: must be a non-negative number, got -5.0");
    assertThatThrownBy(() -> est.lambda(LambdaUsage.onDemand(64, Architecture.X86_64, 1, 1)))
        .hasMessageContaining("128-10240");
    assertThatThrownBy(() -> est.gcf(new GcfUsage(1, 300, 1, 1, 0, false)))
        .hasMessageContaining("128, 256, 512");
  }

  @Test
  void everyRegionCatalogIsDatedAndPricesLambda() {
    for (String region : PriceCatalog.REGIONS) {
      PriceCatalog c = PriceCatalog.load(region);
      assertThat(c.region()).isEqualTo(region);
      assertThat(c.date()).matches("\\d{4}-\\d{2}-\\d{2}");
      assertThat(c.sources()).isNotEmpty();
      assertThat(c.instanceTypes()).contains("ml.g5.xlarge", "ml.inf2.xlarge");
      assertThat(dev.snapserve.spec.Catalog.sagemakerInstanceTypes())
          .containsAll(c.instanceTypes());
      assertThat(c.price("lambda.requestPerMillion")).isPositive();
    }
  }
}
