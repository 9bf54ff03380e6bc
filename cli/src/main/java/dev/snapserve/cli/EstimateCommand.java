package dev.snapserve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.estimate.Comparison;
import dev.snapserve.estimate.Estimate;
import dev.snapserve.estimate.EstimateReport;
import dev.snapserve.estimate.Estimator;
import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.estimate.GcfUsage;
import dev.snapserve.estimate.LambdaUsage;
import dev.snapserve.estimate.PriceCatalog;
import dev.snapserve.estimate.SpecEstimator;
import dev.snapserve.estimate.SpecUsage;
import dev.snapserve.estimate.TemplateEstimator;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Target.Architecture;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code snapserve estimate}: the monthly bill of a spec, or of one service's usage. */
@Command(
    name = "estimate",
    description = {
      "Estimate the monthly cost of every target in a snapserve.yaml under its traffic profile,",
      "with each line's formula. Subcommands price one service's usage without a spec.",
      "Prices: the dated catalog shipped with snapserve (see `snapserve prices show`)."
    },
    subcommands = {
      EstimateCommand.LambdaCmd.class,
      EstimateCommand.ApiCmd.class,
      EstimateCommand.SageMakerCmd.class,
      EstimateCommand.GcfCmd.class,
      EstimateCommand.CompareCmd.class
    })
final class EstimateCommand implements Callable<Integer> {
  @Option(names = "--spec", description = "The deployment spec to price (snapserve.yaml).")
  Path spec;

  @Option(
      names = "--template",
      description = "A synthesized CloudFormation template (cdk.out/STACK.template.json) to price.")
  Path template;

  @Option(
      names = "--usage",
      description = {
        "Usage file (YAML): with --template keyed by logical ids; with --spec overrides of the",
        "traffic profile (requestsPerMonth|requestsPerHour, requestBytes, responseBytes,",
        "durationMs, targets: {NAME: {durationMs}})."
      })
  Path usage;

  @Option(
      names = "--sync-usage",
      description = "Write a usage file stub listing every priced resource of --template.")
  Path syncUsage;

  @Option(
      names = "--region",
      defaultValue = "us-east-1",
      description = "Price catalog region for --template (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--catalog",
      description = "Price with this catalog file (e.g. from `prices refresh`) for --spec.")
  Path catalog;

  @Mixin Output output;

  @Spec CommandSpec command;

  private final PrintStream out;
  private final PrintStream err;

  EstimateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (template != null && catalog != null) {
      throw new IllegalArgumentException(
          "--catalog prices --spec and the what-ifs, not --template");
    }
    if (template != null && spec != null) {
      throw new IllegalArgumentException("give --spec or --template, not both");
    }
    if (template == null) {
      for (String o : List.of("--region", "--sync-usage")) {
        if (given(command, o)) {
          throw new IllegalArgumentException(
              o + " is for --template (a spec names its region, and has no usage stub)");
        }
      }
    }
    if (template != null) return priceTemplate();
    if (spec == null) {
      throw new IllegalArgumentException(
          "give --spec snapserve.yaml or --template T.json, or a subcommand: lambda, api,"
              + " sagemaker, gcf, compare");
    }
    DeploymentSpec s = DeploymentSpec.load(spec);
    SpecUsage u = usage == null ? SpecUsage.NONE : SpecUsage.read(usage);
    Estimate e =
        catalog == null
            ? SpecEstimator.estimate(s, u)
            : SpecEstimator.estimate(s, u, PriceCatalog.read(catalog));
    output.print(out, e, spec, usage, catalog);
    s.budgetMonthlyUsd()
        .ifPresent(
            budget -> {
              if (e.total().compareTo(BigDecimal.valueOf(budget)) > 0) {
                err.printf(
                    "snapserve: warning: estimate %s exceeds the spec's budget of %s a month%n",
                    EstimateReport.usd(e.total()), EstimateReport.usd(BigDecimal.valueOf(budget)));
              }
            });
    return 0;
  }

  /** Whether {@code option} was given on the command line (not just defaulted). */
  static boolean given(CommandSpec command, String option) {
    return command.commandLine().getParseResult().hasMatchedOption(option);
  }

  private int priceTemplate() {
    JsonNode t = TemplateEstimator.readTemplate(template);
    if (syncUsage != null) {
      String stub = TemplateEstimator.usageStub(t);
      AtomicFiles.checkNotInput(syncUsage, template, usage);
      AtomicFiles.write(
          syncUsage, output.force, tmp -> Files.writeString(tmp, stub, StandardCharsets.UTF_8));
      out.println("wrote " + syncUsage);
      return 0;
    }
    Map<String, Map<String, Double>> u =
        usage == null ? Map.of() : TemplateEstimator.readUsage(usage);
    Estimate e = TemplateEstimator.estimate(t, u, region);
    e.assumptions().stream()
        .filter(a -> a.startsWith("WARNING"))
        .forEach(a -> err.println("snapserve: " + a));
    output.print(out, e, template, usage);
    return 0;
  }

  /** {@code --format} and {@code -o}, shared by every estimate. */
  static final class Output {
    @Option(
        names = "--format",
        defaultValue = "table",
        description = "table, markdown, csv, json or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = {"-o", "--output"},
        description = "Write the report to FILE instead of stdout.")
    Path file;

    @Option(names = "--force", description = "Replace an existing -o FILE.")
    boolean force;

    /** Prints or writes {@code e}; {@code -o} may not name one of {@code inputs} (null: absent). */
    void print(PrintStream out, Estimate e, Path... inputs) {
      String text = EstimateReport.render(e, EstimateReport.Format.parse(format));
      if (file == null) {
        out.print(text);
        return;
      }
      AtomicFiles.checkNotInput(file, inputs);
      AtomicFiles.write(file, force, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
      out.println("wrote " + file + " (total $" + e.total().toPlainString() + " a month)");
    }
  }

  /** Options every what-if shares. */
  abstract static class WhatIf implements Callable<Integer> {
    @ParentCommand EstimateCommand parent;

    @Mixin Output output;

    @Option(
        names = "--region",
        defaultValue = "us-east-1",
        description =
            "Region of the price catalog (default: ${DEFAULT-VALUE}; for gcf, the catalog names"
                + " the nearby Google region whose rates it holds).")
    String region;

    @Option(
        names = "--transfer-out-gb",
        description = "AWS data transfer out to the internet, GB (not for gcf: --egress-kb).")
    double transferOutGb;

    @Option(names = "--logs-gb", description = "CloudWatch Logs ingested, GB (not for gcf).")
    double logsGb;

    @Option(
        names = "--free-tier",
        description =
            "Deduct the free tiers: Lambda's and Cloud Functions' monthly ones, API Gateway's"
                + " (new accounts, 12 months), CloudWatch Logs' 5 GB, data transfer's 100 GB.")
    boolean freeTier;

    @Spec CommandSpec command;

    @Option(
        names = "--catalog",
        description = "Price with this catalog file (e.g. from `prices refresh`; its region wins).")
    Path catalog;

    abstract void price(Estimator est);

    @Override
    public Integer call() {
      Estimator est =
          new Estimator(catalog != null ? PriceCatalog.read(catalog) : PriceCatalog.load(region));
      price(est);
      if (transferOutGb != 0) est.dataTransferOut(transferOutGb, freeTier);
      if (logsGb != 0) est.logs(logsGb, freeTier);
      output.print(parent.out, est.estimate(), catalog);
      return 0;
    }
  }

  @Command(name = "lambda", description = "Price a Lambda function's month.")
  static final class LambdaCmd extends WhatIf {
    @Option(names = "--memory-mib", required = true, description = "128-10240.")
    int memoryMiB;

    @Option(names = "--arch", defaultValue = "arm64", description = "arm64 or x86_64.")
    String arch;

    @Option(names = "--requests", defaultValue = "0", description = "On-demand requests a month.")
    double requests;

    @Option(names = "--duration-ms", defaultValue = "0", description = "Mean on-demand duration.")
    double durationMs;

    @Option(names = "--ephemeral-mib", defaultValue = "512", description = "512-10240.")
    int ephemeralMiB;

    @Option(
        names = "--provisioned-concurrency",
        defaultValue = "0",
        description = "Environments kept initialized (not with --snapstart).")
    int provisionedConcurrency;

    @Option(names = "--provisioned-hours", defaultValue = "730", description = "Hours configured.")
    double provisionedHours;

    @Option(
        names = "--provisioned-requests",
        defaultValue = "0",
        description = "Requests served by provisioned concurrency (no free tier).")
    double provisionedRequests;

    @Option(
        names = "--provisioned-duration-ms",
        defaultValue = "0",
        description = "Mean duration of those requests.")
    double provisionedDurationMs;

    @Option(names = "--snapstart", description = "SnapStart (charged on non-Java runtimes).")
    boolean snapStart;

    @Option(
        names = "--runtime",
        defaultValue = "java21",
        description = "java21, python3.12, dotnet8...")
    String runtime;

    @Option(names = "--restores", defaultValue = "0", description = "SnapStart restores a month.")
    double restores;

    @Option(names = "--snapstart-hours", defaultValue = "730", description = "Hours cached.")
    double snapStartHours;

    @Override
    void price(Estimator est) {
      Architecture a =
          switch (arch) {
            case "arm64" -> Architecture.ARM64;
            case "x86_64", "x86" -> Architecture.X86_64;
            default ->
                throw new IllegalArgumentException("--arch '" + arch + "' is not arm64 or x86_64");
          };
      LambdaUsage u =
          LambdaUsage.onDemand(memoryMiB, a, requests, durationMs)
              .withFreeTier(freeTier)
              .withEphemeralMiB(ephemeralMiB);
      if (provisionedConcurrency == 0) {
        for (String o :
            List.of("--provisioned-hours", "--provisioned-requests", "--provisioned-duration-ms")) {
          if (given(command, o)) {
            throw new IllegalArgumentException(o + " needs --provisioned-concurrency N");
          }
        }
      } else {
        u =
            u.withProvisioned(
                provisionedConcurrency,
                provisionedHours,
                provisionedRequests,
                provisionedDurationMs);
      }
      if (!snapStart) {
        for (String o : List.of("--runtime", "--restores", "--snapstart-hours")) {
          if (given(command, o)) throw new IllegalArgumentException(o + " needs --snapstart");
        }
      } else {
        u = u.withSnapStart(runtime, restores, snapStartHours);
      }
      est.lambda(u);
    }
  }

  @Command(name = "api", description = "Price API Gateway requests (HTTP or REST API).")
  static final class ApiCmd extends WhatIf {
    @Option(names = "--type", defaultValue = "http", description = "http or rest.")
    String type;

    @Option(names = "--requests", required = true)
    double requests;

    @Option(names = "--payload-kb", defaultValue = "1", description = "Request size, KB.")
    double payloadKb;

    @Override
    void price(Estimator est) {
      ApiType t =
          switch (type) {
            case "http" -> ApiType.HTTP;
            case "rest" -> ApiType.REST;
            default ->
                throw new IllegalArgumentException("--type '" + type + "' is not http or rest");
          };
      est.api(t, requests, payloadKb, freeTier);
    }
  }

  @Command(
      name = "sagemaker",
      description =
          "Price a SageMaker real-time endpoint (--instance-type) or serverless (--serverless-memory-mib).")
  static final class SageMakerCmd extends WhatIf {
    @Option(names = "--instance-type", description = "e.g. ml.g5.xlarge.")
    String instanceType;

    @Option(names = "--instances", defaultValue = "1")
    double instances;

    @Option(names = "--hours", defaultValue = "730", description = "Hours a month (default 730).")
    double hours;

    @Option(names = "--serverless-memory-mib", description = "1024-6144 in steps of 1024.")
    Integer serverlessMemoryMiB;

    @Option(names = "--requests", defaultValue = "0", description = "Serverless requests.")
    double requests;

    @Option(names = "--duration-ms", defaultValue = "0", description = "Serverless duration.")
    double durationMs;

    @Option(names = "--data-in-gb", defaultValue = "0")
    double dataInGb;

    @Option(names = "--data-out-gb", defaultValue = "0")
    double dataOutGb;

    @Override
    void price(Estimator est) {
      if ((instanceType == null) == (serverlessMemoryMiB == null)) {
        throw new IllegalArgumentException(
            "give exactly one of --instance-type (real-time) or --serverless-memory-mib");
      }
      if (instanceType != null) est.sagemaker(instanceType, instances, hours);
      else est.sagemakerServerless(serverlessMemoryMiB, requests, durationMs);
      est.sagemakerData(dataInGb, dataOutGb);
    }
  }

  @Command(name = "gcf", description = "Price a Google Cloud Function (gen1 or gen2).")
  static final class GcfCmd extends WhatIf {
    @Option(names = "--generation", defaultValue = "2", description = "1 or 2.")
    int generation;

    @Option(names = "--memory-mib", required = true)
    int memoryMiB;

    @Option(names = "--invocations", required = true)
    double invocations;

    @Option(names = "--duration-ms", required = true)
    double durationMs;

    @Option(names = "--egress-kb", defaultValue = "0", description = "Egress per invocation, KB.")
    double egressKb;

    @Override
    void price(Estimator est) {
      if (given(command, "--transfer-out-gb") || given(command, "--logs-gb")) {
        throw new IllegalArgumentException(
            "--transfer-out-gb and --logs-gb price AWS services; a Cloud Function's egress is"
                + " --egress-kb (per invocation), and Cloud Logging is not priced");
      }
      est.gcf(new GcfUsage(generation, memoryMiB, invocations, durationMs, egressKb, freeTier));
    }
  }

  @Command(
      name = "compare",
      description = {
        "Monthly cost of each way to serve the spec (Lambda arm64/x86_64 with an HTTP or REST API,",
        "the SageMaker GPU endpoint with its autoscaling, SageMaker serverless, Cloud Functions gen2)",
        "across a traffic range, with the break-even points listed and drawn (--chart out.png|svg)."
      })
  static final class CompareCmd implements Callable<Integer> {
    private static final int CHART_WIDTH = 1000;
    private static final int CHART_HEIGHT = 600;

    @ParentCommand EstimateCommand parent;

    @Option(names = "--spec", required = true, description = "The deployment spec.")
    Path spec;

    @Option(
        names = "--requests-from",
        defaultValue = "1e5",
        description = "Default ${DEFAULT-VALUE}.")
    double from;

    @Option(
        names = "--requests-to",
        defaultValue = "1e9",
        description = "Default ${DEFAULT-VALUE}.")
    double to;

    @Option(names = "--points", defaultValue = "17", description = "Traffic levels (log-spaced).")
    int points;

    @Option(names = "--chart", description = "Write the line chart to this .png or .svg file.")
    Path chart;

    @Option(
        names = "--format",
        defaultValue = "table",
        description =
            "table, or html: one page with the chart embedded (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = "--html",
        description = "Also write the HTML report (chart embedded) to this file.")
    Path html;

    @Option(names = "--force", description = "Replace an existing --chart or --html file.")
    boolean force;

    @Override
    public Integer call() {
      String chartType = chart == null ? null : chartType(chart);
      if (!format.equals("table") && !format.equals("html")) {
        throw new IllegalArgumentException(
            "--format '" + format + "' is not one of table, html (for estimate compare)");
      }
      Comparison c = Comparison.of(DeploymentSpec.load(spec), from, to, points);
      boolean pageWanted = format.equals("html") || html != null;
      // the PNG is drawn once for the page and --chart alike, the page once for stdout and --html
      byte[] png =
          pageWanted || "png".equals(chartType) ? c.chartPng(CHART_WIDTH, CHART_HEIGHT) : null;
      String page = pageWanted ? EstimateReport.html(c, png, CHART_WIDTH, CHART_HEIGHT) : null;
      parent.out.print(format.equals("html") ? page : c.table());
      // with the page on stdout, "wrote" lines go to stderr so `> report.html` stays one page
      PrintStream status = format.equals("html") ? parent.err : parent.out;
      if (html != null) {
        AtomicFiles.checkNotInput(html, spec);
        AtomicFiles.write(html, force, tmp -> Files.writeString(tmp, page, StandardCharsets.UTF_8));
        status.println("wrote " + html);
      }
      if (chart != null) {
        byte[] bytes =
            chartType.equals("svg")
                ? c.chartSvg(CHART_WIDTH, CHART_HEIGHT).getBytes(StandardCharsets.UTF_8)
                : png;
        AtomicFiles.checkNotInput(chart, spec);
        AtomicFiles.write(chart, force, tmp -> Files.write(tmp, bytes));
        status.println("wrote " + chart);
      }
      return 0;
    }

    /** The chart format named by the file's extension: png or svg. */
    private static String chartType(Path chart) {
      String name = chart.getFileName().toString().toLowerCase(Locale.ROOT);
      String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
      if (!ext.equals("png") && !ext.equals("svg")) {
        throw new IllegalArgumentException(
            "--chart " + chart + ": name the file .png or .svg to choose the chart format");
      }
      return ext;
    }
  }
}
