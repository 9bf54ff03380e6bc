package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapserve prices refresh} against a loopback Price List API serving the estimator's
 * recorded {@code GetProducts} responses (hand-recorded in the real format; see
 * cost-estimator/src/test/resources/pricelist/README.md).
 */
class PricesCommandIT extends CliRun {
  static final Path RECORDED =
      Path.of("..", "cost-estimator", "src", "test", "resources", "pricelist");
  HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", PricesCommandIT::answer);
    server.start();
    // the default credential chain reads these first; fake keys, the server does not check them
    System.setProperty("aws.accessKeyId", "AKIDTEST");
    System.setProperty("aws.secretAccessKey", "secret");
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static void answer(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
      String page = body.hasNonNull("NextToken") ? "-2.json" : "-1.json";
      byte[] bytes = Files.readAllBytes(RECORDED.resolve(body.path("ServiceCode").asText() + page));
      ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void writesANewDatedCatalogAndListsWhatItKept(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("us-east-1-refreshed.json");
    int code = run("prices", "refresh", "--endpoint", endpoint(), "-o", file.toString());
    assertThat(code).as(err.toString()).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("changed sagemaker.instanceHour.ml.g4dn.xlarge: 0.736 -> 0.7364")
        .contains("kept from the shipped catalog")
        .contains("  sagemaker.instanceHour.ml.inf2.xlarge")
        .contains("wrote " + file);
    JsonNode catalog = new ObjectMapper().readTree(file.toFile());
    assertThat(catalog.at("/sagemaker/instanceHour/ml.g4dn.xlarge").asText()).isEqualTo("0.7364");
    assertThat(catalog.path("refreshedFrom").asText()).isEqualTo("2025-06-01");
    assertThat(catalog.path("kept").toString()).contains("lambda.snapStart.cacheGbSecond");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(file); // no temp file left behind
    }

    // the estimator prices with it: ml.g4dn.xlarge at the refreshed $0.7364 an hour
    out.reset();
    assertThat(
            run(
                "estimate",
                "sagemaker",
                "--instance-type",
                "ml.g4dn.xlarge",
                "--hours",
                "100",
                "--catalog",
                file.toString(),
                "--format",
                "json"))
        .as(err.toString())
        .isZero();
    JsonNode e = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(e.get("total").decimalValue()).isEqualByComparingTo("73.64");
    assertThat(e.at("/catalog/date").asText()).isEqualTo(catalog.path("date").asText());

    // an existing catalog is not replaced without --force
    out.reset();
    assertThat(run("prices", "refresh", "--endpoint", endpoint(), "-o", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("already exists; pass --force");
  }

  @Test
  void refusesAnUnknownRegionAndTheShippedCatalog() {
    assertThat(run("prices", "refresh", "--region", "eu-central-9", "--endpoint", endpoint()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("snapserve: no price catalog for region 'eu-central-9'")
        .contains("eu-west-1, us-east-1, us-east-2, us-west-2");
    err.reset();
    String shipped =
        "../cost-estimator/src/main/resources/dev/snapserve/estimate/prices/us-east-1.json";
    assertThat(run("prices", "refresh", "--endpoint", endpoint(), "-o", shipped, "--force"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is a shipped price catalog");
  }
}
