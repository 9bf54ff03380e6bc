package dev.snapserve.cdk;

import dev.snapserve.estimate.Estimate;
import dev.snapserve.estimate.EstimateReport;
import dev.snapserve.estimate.SpecEstimator;
import dev.snapserve.spec.DeploymentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * Prices the spec while the app synthesizes: writes {@value #FILE} into the cloud assembly, and
 * when the spec has a budget, a validation on the stack fails synth with the breakdown above it.
 */
final class CostEstimateAtSynth {
  static final String FILE = "cost-estimate.md";

  private CostEstimateAtSynth() {}

  static Estimate attach(App app, Stack stack, DeploymentSpec spec) {
    Estimate estimate = SpecEstimator.estimate(spec);
    String markdown = EstimateReport.render(estimate, EstimateReport.Format.MARKDOWN);
    Path out = Path.of(app.getOutdir()).resolve(FILE);
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, markdown);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    spec.budgetMonthlyUsd()
        .ifPresent(
            budget ->
                // a validation, not an exception here: synth reports it with the stack's path
                stack
                    .getNode()
                    .addValidation(
                        () ->
                            estimate.total().compareTo(BigDecimal.valueOf(budget)) <= 0
                                ? List.of()
                                : List.of(overBudget(estimate, budget, markdown))));
    return estimate;
  }

  private static String overBudget(Estimate estimate, double budget, String markdown) {
    return "the estimated cost "
        + EstimateReport.usd(estimate.total())
        + "/month exceeds the spec's budget "
        + EstimateReport.usd(BigDecimal.valueOf(budget))
        + "/month (budget.monthlyUsd); raise the budget or shrink the deployment."
        + System.lineSeparator()
        + markdown;
  }
}
