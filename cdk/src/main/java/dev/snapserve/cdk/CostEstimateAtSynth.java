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
   * A spec that cannot be priced (a region or instance type the shipped catalogs lack) synthesizes
   * without an estimate, unless it has a budget, which cannot be checked and fails synth.
   */
  static void attach(App app, Stack stack, DeploymentSpec spec) {
    final Priced priced = Priced.of(spec);
    write(
        Path.of(app.getOutdir()).resolve(FILE),
        priced.estimate() == null
            ? priced.markdown()
            : "# Monthly cost estimate: "
                + spec.service()
                + System.lineSeparator()
                + System.lineSeparator()
                + priced.markdown());
    // a validation, not an exception here: synth reports it with the stack's path
    spec.budgetMonthlyUsd()
        .ifPresent(budget -> stack.getNode().addValidation(() -> priced.budgetErrors(budget)));
  }

  /** The estimate (null when the spec cannot be priced) and its Markdown, or why not. */
  private record Priced(Estimate estimate, String markdown) {
    static Priced of(DeploymentSpec spec) {
      try {
        Estimate estimate = SpecEstimator.estimate(spec);
        return new Priced(
            estimate, EstimateReport.render(estimate, EstimateReport.Format.MARKDOWN));
      } catch (EstimateException e) {
        System.err.println("snapserve-cdk: no cost estimate: " + e.getMessage());
        return new Priced(
            null,
            "# Not priced" + System.lineSeparator() + System.lineSeparator() + e.getMessage());
      }
    }

    /** None when the estimate is within {@code budget}. */
    List<String> budgetErrors(double budget) {
      if (estimate == null) return List.of("budget.monthlyUsd cannot be checked: " + markdown);
      return estimate.total().compareTo(BigDecimal.valueOf(budget)) <= 0
          ? List.of()
          : List.of(overBudget(estimate, budget, markdown));
    }
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
