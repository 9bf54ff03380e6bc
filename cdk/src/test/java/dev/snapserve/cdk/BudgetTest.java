package dev.snapserve.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The example spec against its budget at synth, and specs the shipped catalogs cannot price. */
class BudgetTest {
  @TempDir Path tmp;

  /** The example spec with (regex, replacement) edits; its bundles stay where they are. */
  private static DeploymentSpec example(String... edits) throws Exception {
    Path example = TestZips.exampleSpec();
    String yaml = Files.readString(example);
    for (int i = 0; i < edits.length; i += 2) {
      assertThat(yaml).containsPattern(edits[i]);
      yaml = yaml.replaceFirst(edits[i], edits[i + 1]);
    }
    return DeploymentSpec.parse(yaml, example);
  }

  private App synthesizable(DeploymentSpec spec) throws Exception {
    Path zip = TestZips.lambdaZip(tmp.resolve("dist"), "fn.zip");
    App app = new App(AppProps.builder().outdir(tmp.resolve("cdk.out").toString()).build());
    SnapserveApp.build(app, spec, (s, target, versions) -> zip);
    return app;
  }

  @Test
  void synthFailsWithTheBreakdownWhenTheEstimateExceedsTheBudget() throws Exception {
    App app = synthesizable(example("monthlyUsd: \\d+", "monthlyUsd: 100"));
    RuntimeException e = catchRuntimeException(app::synth);
    assertThat(e)
        .hasMessageContaining("exceeds the spec's budget $100.00/month (budget.monthlyUsd)")
        .hasMessageContaining("Amazon SageMaker")
        .hasMessageContaining("ml.g5.xlarge");
    // what the app prints: the breakdown once, without jsii's copy of it and its Node frames
    assertOneCleanMessage(SnapserveApp.validationErrors(e));
    // the estimate is in the cloud assembly either way, for whoever has to decide
    assertThat(tmp.resolve("cdk.out/cost-estimate.md")).isRegularFile();
  }

  /** The app itself, as {@code cdk synth} runs it: one message, exit code 2, no stack trace. */
  @Test
  void theAppPrintsTheBreakdownOnceAndExits2WhenTheEstimateExceedsTheBudget() throws Exception {
    Path example = TestZips.exampleSpec();
    Path spec = tmp.resolve("snapserve.yaml");
    String yaml =
        Files.readString(example)
            .replaceFirst("monthlyUsd: \\d+", "monthlyUsd: 100")
            .replace(": models/", ": " + example.resolveSibling("models") + "/");
    Files.writeString(spec, yaml);
    // the packager's zips are there already: synth merges them instead of packaging the bundles
    Path dist = tmp.resolve("dist");
    Files.createDirectories(dist);
    DeploymentSpec loaded = DeploymentSpec.load(spec);
    Target.Lambda fn = (Target.Lambda) loaded.target("fn");
    for (ModelVersion v : loaded.models().get("digits").values()) {
      TestZips.packagerZip(
          dist.resolve(LambdaArtifacts.packagedName(v, fn)),
          v.version(),
          "rt",
          TestZips.sourceSha256(v));
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SnapserveApp.class.getName())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(tmp.resolve("stderr.txt").toFile());
    pb.environment().put("CDK_OUTDIR", tmp.resolve("cdk.out").toString());
    pb.environment()
        .put(
            "CDK_CONTEXT_JSON",
            new ObjectMapper()
                .writeValueAsString(Map.of("spec", spec.toString(), "artifacts", dist.toString())));
    Process p = pb.start();
    boolean exited = p.waitFor(5, TimeUnit.MINUTES);
    if (!exited) p.destroyForcibly();
    assertThat(exited).isTrue();
    // without jsii's "!!"-framed banner about the Node version, if this Node gets one
    String stderr =
        Files.readString(tmp.resolve("stderr.txt")).replaceAll("(?m)^(\\e\\[[0-9;]*m)*!!.*\\R", "");
    assertThat(p.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr).startsWith("snapserve-cdk: ");
    assertThat(stderr.split("snapserve-cdk:", -1)).as(stderr).hasSize(2);
    assertOneCleanMessage(stderr);
    assertThat(tmp.resolve("cdk.out/cost-estimate.md")).isRegularFile();
  }

  private static void assertOneCleanMessage(String message) {
    assertThat(message)
        .isNotNull()
        .containsOnlyOnce("exceeds the spec's budget")
        .containsOnlyOnce("**Total: ")
        .doesNotContain("RuntimeError", "ValidationFailedWithErrors", "jsii")
        .doesNotContainPattern("(?m)^\\s+at ");
  }

  @Test
  void aRegionWithoutPricesSynthesizesWithoutABudgetButCannotCheckOne() throws Exception {
    // us-west-1 is a valid region that the shipped catalogs do not cover
    String region = "region: us-east-1";
    synthesizable(example(region, "region: us-west-1", "budget:\\n  monthlyUsd: \\d+", "")).synth();
    assertThat(Files.readString(tmp.resolve("cdk.out/cost-estimate.md")))
        .startsWith("# Not priced")
        .contains("us-west-1");

    App budgeted = synthesizable(example(region, "region: us-west-1"));
    assertThat(SnapserveApp.validationErrors(catchRuntimeException(budgeted::synth)))
        .containsOnlyOnce("budget.monthlyUsd cannot be checked")
        .contains("us-west-1")
        .doesNotContain("RuntimeError")
        .doesNotContainPattern("(?m)^\\s+at ");
  }
}
