package dev.snapserve.cdk;

import dev.snapserve.estimate.Estimate;
import dev.snapserve.estimate.EstimateException;
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

  /**
   * Prices the spec; returns null when it cannot be priced (a region or instance type the shipped
   * catalogs lack). Then synth goes on without an estimate, unless the spec has a budget, which
   * cannot be checked and fails synth.
   */
  static Estimate attach(App app, Stack stack, DeploymentSpec spec) {
    Estimate estimate;
    String markdown;
    try {
      estimate = SpecEstimator.estimate(spec);
      markdown = EstimateReport.render(estimate, EstimateReport.Format.MARKDOWN);
    } catch (EstimateException e) {
      estimate = null;
      markdown = "# Not priced" + System.lineSeparator() + System.lineSeparator() + e.getMessage();
      System.err.println("snapserve-cdk: no cost estimate: " + e.getMessage());
    }
    write(
        Path.of(app.getOutdir()).resolve(FILE),
        estimate == null
            ? markdown
            : "# Monthly cost estimate: "
                + spec.service()
                + System.lineSeparator()
                + System.lineSeparator()
                + markdown);
    if (spec.budgetMonthlyUsd().isPresent()) {
      double budget = spec.budgetMonthlyUsd().get();
      Estimate e = estimate;
      String md = markdown;
      // a validation, not an exception here: synth reports it with the stack's path
      stack
          .getNode()
          .addValidation(
              () ->
                  e == null
                      ? List.of("budget.monthlyUsd cannot be checked: " + md)
                      : e.total().compareTo(BigDecimal.valueOf(budget)) <= 0
                          ? List.of()
                          : List.of(overBudget(e, budget, md)));
    }
    return estimate;
  }

  private static void write(Path out, String markdown) {
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, markdown);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
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
