package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.testsupport.s3.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `snapserve publish` end to end against S3Mock on loopback; AWS settings from an env map. */
class PublishCommandIT {
  private static S3TestServer server;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    server = S3TestServer.start("cli-models");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private int run(String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            "test",
            "AWS_SECRET_ACCESS_KEY",
            "test",
            "AWS_REGION",
            S3TestServer.REGION,
            "SNAPSERVE_S3_ENDPOINT",
            server.endpoint().toString());
    // the command as SnapserveCli registers it, with the environment injected
    return new CommandLine(new PublishCommand(o, e, env))
        .setExecutionExceptionHandler(
            (ex, cl, pr) -> {
              e.println("snapserve: " + ex.getMessage());
              return 2;
            })
        .execute(args);
  }

  @Test
  void publishesTheDemoBundleAndPrintsJson() {
    int code = run(Fixtures.demo().toString(), "s3://cli-models/prod/", "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode r = Fixtures.json(out.toByteArray());
    assertThat(r.get("location").asText()).isEqualTo("s3://cli-models/prod/digits/1/");
    assertThat(r.get("objects")).hasSize(2);
    assertThat(r.get("objects").get(1).get("key").asText())
        .isEqualTo("prod/digits/1/manifest.json");

    out.reset();
    assertThat(run(Fixtures.demo().toString(), "s3://cli-models/prod/")).isEqualTo(2);
    assertThat(err.toString())
        .contains("snapserve: s3://cli-models/prod/digits/1/ already exists")
        .contains("--force");
  }

  @Test
  void userErrorsAreOneLineAndExit2() {
    assertThat(run(Fixtures.demo().toString(), "s3://missing-bucket/")).isEqualTo(2);
    assertThat(err.toString()).contains("snapserve: bucket 'missing-bucket' does not exist");
    assertThat(run(Fixtures.demo().toString(), "bucket/prefix")).isEqualTo(2);
    assertThat(err.toString()).contains("'bucket/prefix' is not an S3 URI");
    assertThat(run(Fixtures.demo().toString(), "--ecr", "docker.io/x:1")).isEqualTo(2);
    assertThat(err.toString()).contains("'docker.io/x:1' is not an ECR image reference");
  }
}
