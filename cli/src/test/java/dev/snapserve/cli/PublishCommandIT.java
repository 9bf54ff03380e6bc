package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.testsupport.s3.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `snapserve publish` end to end against S3Mock on loopback; AWS settings from an env map. */
class PublishCommandIT extends CliRun {
  private static S3TestServer server;

  @BeforeAll
  static void start() {
    server = S3TestServer.start("cli-models");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** {@code snapserve publish ARGS} with the AWS settings of the S3 server. */
  @Override
  int run(String... args) {
    String[] publish = new String[args.length + 1];
    publish[0] = "publish";
    System.arraycopy(args, 0, publish, 1, args.length);
    return run(server.clientEnvironment(), publish);
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
