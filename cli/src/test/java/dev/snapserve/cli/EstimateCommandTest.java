package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest extends CliRun {
  static final String SPEC = Path.of("..", "snapserve.yaml").toString();

  JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void estimatesTheSpecAsJson() throws Exception {
    int code = run("estimate", "--spec", SPEC, "--format", "json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode j = json();
    assertThat(j.get("currency").asText()).isEqualTo("USD");
    assertThat(j.get("total").decimalValue()).isGreaterThan(new java.math.BigDecimal("2000"));
    assertThat(j.get("lineItems").size()).isGreaterThan(3);
    assertThat(j.get("catalog").get("region").asText()).isEqualTo("us-east-1");
    assertThat(err.toString()).doesNotContain("budget"); // the example fits its 2500 USD
    assertThat(out.toString()).doesNotContainPattern("\\d[eE][+-]?\\d"); // plain numbers
  }

  @Test
  void warnsWhenTheSpecExceedsItsBudget(@TempDir Path tmp) throws Exception {
    String yaml = Files.readString(Path.of(SPEC));
    Path spec = tmp.resolve("snapserve.yaml");
    Files.writeString(spec, yaml.replaceFirst("monthlyUsd: \\d+", "monthlyUsd: 400"));
    assertThat(run("estimate", "--spec", spec.toString())).as(err.toString()).isZero();
    assertThat(err.toString()).contains("exceeds the spec's budget of $400");
  }

  @Test
  void lambdaWhatIfMatchesThePricingPage() throws Exception {
    int code =
        run(
            "estimate",
            "lambda",
            "--memory-mib",
            "1536",
            "--arch",
            "x86_64",
            "--requests",
            "3000000",
            "--duration-ms",
            "120",
            "--free-tier",
            "--format",
            "json");
    assertThat(code).as(err.toString()).isZero();
    assertThat(json().get("total").decimalValue()).isEqualByComparingTo("2.73");
  }

  @Test
  void tableShowsFormulasAndWritesAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cost.md");
    int code =
        run(
            "estimate",
            "lambda",
            "--memory-mib",
            "1024",
            "--requests",
            "1000000",
            "--duration-ms",
            "100",
            "--snapstart",
            "--runtime",
            "python3.12",
            "--restores",
            "50",
            "--format",
            "markdown",
            "-o",
            file.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readString(file))
        .contains("SnapStart cache (python3.12)")
        .contains("| Service |");
    assertThat(run("estimate", "lambda", "--memory-mib", "1024", "-o", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("already exists");
  }

  @Test
  void apiSagemakerAndGcfWhatIfs() throws Exception {
    assertThat(
            run(
                "estimate",
                "api",
                "--type",
                "rest",
                "--requests",
                "1000000000",
                "--format",
                "json"))
        .isZero();
    assertThat(json().get("total").decimalValue()).isEqualByComparingTo("3033.10");
    out.reset();
    assertThat(
            run(
                "estimate",
                "sagemaker",
                "--instance-type",
                "ml.g5.xlarge",
                "--instances",
                "2",
                "--hours",
                "730",
                "--format",
                "json"))
        .isZero();
    assertThat(json().get("total").decimalValue()).isEqualByComparingTo("2055.68");
    out.reset();
    assertThat(
            run(
                "estimate",
                "gcf",
                "--generation",
                "1",
                "--memory-mib",
                "128",
                "--invocations",
                "10000000",
                "--duration-ms",
                "300",
                "--free-tier",
                "--format",
                "json"))
        .isZero();
    assertThat(json().get("total").decimalValue()).isEqualByComparingTo("7.20");
  }

  @Test
  void pricesShowPrintsTheDatedCatalog() throws Exception {
    assertThat(run("prices", "show", "--region", "eu-west-1")).isZero();
    JsonNode j = json();
    assertThat(j.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(j.get("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
  }

  /** -o never replaces an input, --force or not: not the usage file, not the catalog. */
  @Test
  void theReportNeverOverwritesAnInput(@TempDir Path dir) throws Exception {
    Path usage = Files.writeString(dir.resolve("usage.yaml"), "durationMs: 20\n");
    assertThat(
            run(
                "estimate",
                "--spec",
                SPEC,
                "--usage",
                usage.toString(),
                "-o",
                usage.toString(),
                "--force"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is the input file");
    assertThat(usage).hasContent("durationMs: 20\n");

    assertThat(run("prices", "show", "--region", "us-east-1")).isZero();
    Path catalog = Files.writeString(dir.resolve("catalog.json"), out.toString());
    String before = Files.readString(catalog);
    err.reset();
    assertThat(
            run(
                "estimate",
                "lambda",
                "--memory-mib",
                "128",
                "--catalog",
                catalog.toString(),
                "-o",
                catalog.toString(),
                "--force"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is the input file");
    assertThat(catalog).hasContent(before);
  }

  /** A missing input file is named as what it was for, in one line. */
  @Test
  void missingInputFilesAreNamed(@TempDir Path dir) {
    String missing = dir.resolve("missing.yaml").toString();
    String[][] cases = {
      {"estimate", "--spec", SPEC, "--usage", missing},
      {"estimate", "lambda", "--memory-mib", "128", "--catalog", missing},
      {"estimate", "--template", missing},
      {"estimate", "--template", dir.toString()}
    };
    String[] expected = {
      "snapserve: usage file " + missing + ": no such file",
      "snapserve: price catalog " + missing + ": no such file",
      "snapserve: template " + missing + ": no such file",
      "snapserve: template " + dir + ": not a file"
    };
    for (int i = 0; i < cases.length; i++) {
      err.reset();
      assertThat(run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(err.toString().strip()).isEqualTo(expected[i]);
    }
  }

  @Test
  void unknownRegionListsTheKnownOnes() {
    assertThat(run("estimate", "lambda", "--memory-mib", "128", "--region", "ap-south-9"))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith("snapserve: no price catalog for region 'ap-south-9'")
        .contains("us-east-1, us-east-2, us-west-2");
  }

  @Test
  void unknownInstanceTypeListsThePricedOnes() {
    assertThat(run("estimate", "sagemaker", "--instance-type", "ml.q1.tiny")).isEqualTo(2);
    assertThat(err.toString()).contains("'ml.q1.tiny'").contains("ml.g4dn.xlarge");
  }

  /** Options that would be ignored, or priced as another service's, are refused by name. */
  @Test
  void optionsThatCannotApplyAreRefused(@TempDir Path dir) {
    String[][] cases = {
      {"estimate", "lambda", "--memory-mib", "1024", "--provisioned-requests", "1000000"},
      {"estimate", "lambda", "--memory-mib", "1024", "--provisioned-hours", "10"},
      {"estimate", "lambda", "--memory-mib", "1024", "--runtime", "python3.12"},
      {
        "estimate",
        "lambda",
        "--memory-mib",
        "1024",
        "--provisioned-concurrency",
        "1",
        "--provisioned-hours",
        "800"
      },
      {
        "estimate",
        "gcf",
        "--memory-mib",
        "256",
        "--invocations",
        "1",
        "--duration-ms",
        "1",
        "--logs-gb",
        "10"
      },
      {"estimate", "--spec", SPEC, "--template", SPEC},
      {"estimate", "--spec", SPEC, "--region", "eu-west-1"},
      {"estimate", "sagemaker", "--instance-type", "ml.g5.xlarge", "--hours", "800"},
      {"estimate", "--template", dir.resolve("missing.json").toString()}
    };
    String[] expected = {
      "--provisioned-requests needs --provisioned-concurrency N",
      "--provisioned-hours needs --provisioned-concurrency N",
      "--runtime needs --snapstart",
      "provisioned-hours: 800.0 h is more than a month has (744 h)",
      "--logs-gb price AWS services",
      "give --spec or --template, not both",
      "--region is for --template",
      "hours: 800.0 h is more than a month has (744 h)",
      "missing.json: no such file"
    };
    for (int i = 0; i < cases.length; i++) {
      err.reset();
      assertThat(run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(err.toString()).contains(expected[i]);
    }
  }

  @Test
  void negativeAndNonNumericUsageAreClearErrors() {
    assertThat(run("estimate", "lambda", "--memory-mib", "128", "--requests", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("requests: must be a non-negative number");
    err.reset();
    assertThat(run("estimate", "api", "--requests", "lots")).isEqualTo(2);
    assertThat(err.toString()).contains("'lots'").contains("--requests");
  }

  @Test
  void compareListsBreakEvensAndDrawsAPng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("compare.png");
    int code =
        run(
            "estimate",
            "compare",
            "--spec",
            SPEC,
            "--requests-from",
            "1e5",
            "--requests-to",
            "1e10",
            "--points",
            "11",
            "--chart",
            png.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Break-even points").contains("SageMaker ml.g5.xlarge");
    assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(1000);
    Path svg = dir.resolve("c.svg");
    assertThat(run("estimate", "compare", "--spec", SPEC, "--chart", svg.toString())).isZero();
    assertThat(Files.readString(svg)).contains("<svg").contains("SageMaker ml.g5.xlarge");
    assertThat(
            run("estimate", "compare", "--spec", SPEC, "--chart", dir.resolve("c.gif").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("name the file .png or .svg");
    assertThat(dir.resolve("c.gif")).doesNotExist();
    assertThat(run("estimate", "compare", "--spec", SPEC, "--chart", dir.resolve("svg").toString()))
        .isEqualTo(2);
  }

  @Test
  void specUsageFileOverridesTheTrafficAndRejectsBadValues(@TempDir Path dir) throws Exception {
    Path usage = Files.writeString(dir.resolve("usage.yaml"), "requestsPerMonth: 10000000\n");
    assertThat(run("estimate", "--spec", SPEC, "--usage", usage.toString(), "--format", "json"))
        .as(err.toString())
        .isZero();
    assertThat(json().get("assumptions").toString())
        .contains("traffic: 10,000,000 requests a month");

    Files.writeString(usage, "requestsPerMonth: 10000000\ndurationMs: -3\n");
    assertThat(run("estimate", "--spec", SPEC, "--usage", usage.toString())).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("snapserve: " + usage + ": durationMs must be a non-negative number, got -3\n");
    err.reset();
    Files.writeString(usage, "requests: 5\n");
    assertThat(run("estimate", "--spec", SPEC, "--usage", usage.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("requests is not a usage key");
  }

  @Test
  void htmlReportsForTheSpecAWhatIfAndCompare(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("cost.html");
    assertThat(run("estimate", "--spec", SPEC, "--format", "html", "-o", page.toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readString(page))
        .startsWith("<!DOCTYPE html>")
        .contains("<strong>$2,063.15 USD</strong>")
        .contains("<td class=\"formula\">");

    out.reset();
    assertThat(run("estimate", "api", "--requests", "216000000", "--format", "html")).isZero();
    assertThat(out.toString()).contains("<strong>$216.00 USD</strong>");

    out.reset();
    Path compare = dir.resolve("compare.html");
    int code =
        run(
            "estimate",
            "compare",
            "--spec",
            SPEC,
            "--points",
            "5",
            "--format",
            "html",
            "--html",
            compare.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("<!DOCTYPE html>")
        .endsWith("</html>\n")
        .contains("<img src=\"data:image/png;base64,iVBORw0KGgo"); // the PNG signature
    assertThat(err.toString()).contains("wrote " + compare);
    assertThat(Files.readString(compare)).contains("<h2>Break-even points</h2>");

    assertThat(run("estimate", "compare", "--spec", SPEC, "--format", "csv")).isEqualTo(2);
    assertThat(err.toString()).contains("--format 'csv' is not one of table, html");
  }

  @Test
  void pricesATemplateWithAUsageFileAndWritesAStub(@TempDir Path dir) throws Exception {
    String template =
        Path.of(
                "..",
                "cost-estimator",
                "src",
                "test",
                "resources",
                "templates",
                "digits-api.template.json")
            .toString();
    Path stub = dir.resolve("usage.yaml");
    assertThat(run("estimate", "--template", template, "--sync-usage", stub.toString())).isZero();
    assertThat(Files.readString(stub))
        .contains("fnFunction4F996A82: {requestsPerMonth: 0")
        .contains("ApiCD79AAA0:")
        .contains("gpuConfigACFD9444:");
    Path usage =
        Files.writeString(
            dir.resolve("u.yaml"),
            "fnFunction4F996A82: {requestsPerMonth: 4500000, durationMs: 12}\n"
                + "ApiCD79AAA0: {requestsPerMonth: 5000000, requestBytes: 600, responseBytes: 300}\n"
                + "gpuConfigACFD9444: {requestsPerMonth: 500000, requestBytes: 600, responseBytes: 300}\n"
                + "Ghost: {requestsPerMonth: 1}\n");
    out.reset();
    assertThat(
            run(
                "estimate",
                "--template",
                template,
                "--usage",
                usage.toString(),
                "--format",
                "json"))
        .isZero();
    java.math.BigDecimal fromTemplate = json().get("total").decimalValue();
    assertThat(err.toString()).contains("'Ghost' names no resource");
    out.reset();
    assertThat(run("estimate", "--spec", SPEC, "--format", "json")).isZero();
    assertThat(json().get("total").decimalValue()).isEqualByComparingTo(fromTemplate);
    assertThat(run("estimate", "--template", SPEC)).isEqualTo(2);
    assertThat(err.toString()).contains("is not a CloudFormation JSON template");
  }
}
