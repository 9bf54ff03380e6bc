package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.spec.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code estimate --spec --usage}: the traffic profile overridden from a small YAML file. */
class SpecUsageTest {
  static final DeploymentSpec SPEC = SpecEstimatorTest.SPEC;

  @TempDir Path dir;

  Path usage(String yaml) throws Exception {
    return Files.writeString(dir.resolve("usage.yaml"), yaml);
  }

  @Test
  void overridesRequestsSizesAndOneTargetsDuration() throws Exception {
    SpecUsage u =
        SpecUsage.read(
            usage(
                """
                requestsPerMonth: 10000000
                requestBytes: 614400        # 600 KB: two 512 KB metering units a request
                targets:
                  fn: {durationMs: 24}
                """));
    Estimate e = SpecEstimator.estimate(SPEC, u);
    // fn: 90% of 10M = 9M x 24 ms x 2 GB arm64 = 432,000 GB-s x $0.0000133334 + 9 x $0.20
    assertThat(e.cost(Estimator.LAMBDA)).isEqualByComparingTo("7.5600288");
    // the HTTP API meters 10M requests of 600 KB as 20M at $1.00 per million
    assertThat(e.cost(Estimator.API_GATEWAY)).isEqualByComparingTo("20.00");
    assertThat(e.assumptions())
        .anyMatch(
            a ->
                a.contains("overrides the spec's requestsPerMonth, requestBytes, durationMs of fn"))
        .anyMatch(a -> a.startsWith("traffic: 10,000,000 requests a month (uniform), 614400 B"))
        .anyMatch(a -> a.equals("target fn: 24 ms in the model"));
    // what the file leaves out stays as the spec says: 300 B responses, 12 ms elsewhere
    assertThat(e.assumptions()).anyMatch(a -> a.contains("300 B responses, 12 ms in the model"));
  }

  @Test
  void anEmptyFileChangesNothingAndAnHourlyProfileReplacesTheMonthlyTotal() throws Exception {
    Estimate same = SpecEstimator.estimate(SPEC, SpecUsage.read(usage("")));
    assertThat(same.total()).isEqualByComparingTo(SpecEstimator.estimate(SPEC).total());
    assertThat(same.assumptions())
        .anyMatch(a -> a.endsWith("sets nothing; the spec's traffic profile is used"));

    String hours = String.join(", ", java.util.Collections.nCopies(24, "1000"));
    Estimate e =
        SpecEstimator.estimate(SPEC, SpecUsage.read(usage("requestsPerHour: [" + hours + "]\n")));
    assertThat(e.assumptions())
        .anyMatch(a -> a.startsWith("traffic: 730,000 requests a month (24-hour profile"));
    // 90% of 730,000 = 657,000 requests x 12 ms x 2 GB arm64 = 15,768 GB-s x $0.0000133334,
    // plus 0.657 x $0.20
    assertThat(e.cost(Estimator.LAMBDA)).isEqualByComparingTo("0.3416410512");
  }

  @Test
  void unknownKeysAreErrorsThatListTheValidOnes() throws Exception {
    assertThatThrownBy(() -> SpecUsage.read(usage("requestPerMonth: 5\n")))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("requestPerMonth is not a usage key")
        .hasMessageContaining(
            "durationMs, requestBytes, requestsPerHour, requestsPerMonth, responseBytes, targets");
    assertThatThrownBy(() -> SpecUsage.read(usage("targets: {fn: {memoryMiB: 512}}\n")))
        .hasMessageContaining("targets.fn.memoryMiB is not a usage key; use durationMs");
    SpecUsage wrongTarget = SpecUsage.read(usage("targets: {lambda: {durationMs: 5}}\n"));
    assertThatThrownBy(() -> SpecEstimator.estimate(SPEC, wrongTarget))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining(
            "targets.lambda is not a target of the spec; its targets are fn, gpu");
  }

  @Test
  void negativeOrNonNumericValuesAreErrors() throws Exception {
    assertThatThrownBy(() -> SpecUsage.read(usage("durationMs: -5\n")))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("usage.yaml: durationMs must be a non-negative number, got -5");
    assertThatThrownBy(() -> SpecUsage.read(usage("requestsPerMonth: lots\n")))
        .hasMessageContaining("requestsPerMonth must be a non-negative number, got \"lots\"");
    assertThatThrownBy(() -> SpecUsage.read(usage("requestBytes: 10.5\n")))
        .hasMessageContaining("requestBytes must be a whole number of bytes, got 10.5");
    assertThatThrownBy(() -> SpecUsage.read(usage("targets: {fn: {durationMs: -1}}\n")))
        .hasMessageContaining("targets.fn.durationMs must be a non-negative number");
    assertThatThrownBy(() -> SpecUsage.read(usage("requestsPerHour: [1, 2]\n")))
        .hasMessageContaining("requestsPerHour must be a list of 24 numbers");
    assertThatThrownBy(() -> SpecUsage.read(usage("requestsPerMonth: 1\nrequestsPerHour: [1]\n")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> SpecUsage.read(usage("- 1\n- 2\n")))
        .hasMessageContaining("a usage file is a map of");
  }
}
