package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pricing.PricingClient;

/**
 * {@code prices refresh} end to end: a real {@link PricingClient} (JSON 1.1 over HttpURLConnection,
 * SigV4 with fake keys) against a loopback server answering {@code AWSPriceListService.GetProducts}
 * with the recorded responses under {@code pricelist/} (hand-recorded in the real Price List
 * format, not captured from AWS: there is no network here).
 */
class PriceRefreshIT {
  static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
  static final ObjectMapper MAPPER = new ObjectMapper();

  record Request(String target, JsonNode body) {}

  HttpServer server;
  PricingClient client;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile boolean deny;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    client =
        PricingClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  /** Page 1 of the service's recorded products, or page 2 for the NextToken page 1 gave. */
  private void answer(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = MAPPER.readTree(ex.getRequestBody());
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      requests.add(new Request(target, body));
      String service = body.path("ServiceCode").asText();
      int page = body.hasNonNull("NextToken") ? 2 : 1;
      if (page == 2) {
        String expected = recorded(service + "-1.json").path("NextToken").asText();
        if (!body.path("NextToken").asText().equals(expected)) page = 0;
      }
      byte[] out;
      int status = 200;
      try (InputStream in =
          PriceRefreshIT.class.getResourceAsStream(
              "/pricelist/" + service + "-" + page + ".json")) {
        if (deny) {
          status = 400;
          out =
              ("{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:iam::123456789012:user/ci"
                      + " is not authorized to perform: pricing:GetProducts\"}")
                  .getBytes(StandardCharsets.UTF_8);
        } else if (!"AWSPriceListService.GetProducts".equals(target) || in == null) {
          status = 400;
          out =
              ("{\"__type\":\"InvalidParameterException\",\"Message\":\"no recorded page "
                      + page
                      + " of "
                      + service
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
        } else {
          out = in.readAllBytes();
        }
      }
      ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
    }
  }

  static JsonNode recorded(String name) throws IOException {
    try (InputStream in = PriceRefreshIT.class.getResourceAsStream("/pricelist/" + name)) {
      return MAPPER.readTree(in);
    }
  }

  @Test
  void refreshesEveryAwsEntryTheRecordedPriceListHolds() {
    PriceRefresh.Result r = PriceRefresh.refresh("us-east-1", client, TODAY);

    assertThat(r.refreshed())
        .containsEntry("lambda.requestPerMillion", "0.2")
        .containsEntry("lambda.ephemeralGbSecond", "0.0000000309")
        .containsEntry("sagemaker.instanceHour.ml.g5.xlarge", "1.408")
        .containsEntry("sagemaker.serverlessGbSecond", "0.00002")
        .containsEntry("sagemaker.dataProcessedGb", "0.016")
        .containsEntry("cloudwatchLogs.ingestionGb", "0.5")
        .containsEntry(
            "apiGateway.http.tiers",
            "[{\"upTo\":300000000,\"pricePerMillion\":\"1\"},{\"pricePerMillion\":\"0.9\"}]")
        // the leading free 100 GB is the catalog's freeGb, not a tier
        .containsEntry(
            "dataTransferOut.tiers",
            "[{\"upTo\":10240,\"price\":\"0.09\"},{\"upTo\":51200,\"price\":\"0.085\"},"
                + "{\"upTo\":153600,\"price\":\"0.07\"},{\"price\":\"0.05\"}]");
    // the hosting price, not the training or notebook price of the same type
    assertThat(r.catalog().at("/sagemaker/instanceHour/ml.t2.medium").asText()).isEqualTo("0.056");
    // what differs from the shipped catalog is reported, and "0.20" vs "0.2" is no difference
    assertThat(r.changed())
        .containsExactly(
            java.util.Map.entry("sagemaker.instanceHour.ml.g4dn.xlarge", "0.736 -> 0.7364"));
    // REST API tiers as the catalog holds them
    JsonNode rest = r.catalog().at("/apiGateway/rest/tiers");
    assertThat(rest).hasSize(4);
    assertThat(rest.get(2).path("upTo").asLong()).isEqualTo(20_000_000_000L);
    assertThat(rest.get(3).path("pricePerMillion").asText()).isEqualTo("1.51");
    assertThat(rest.get(3).has("upTo")).isFalse();

    // not in the recorded Price List: kept and named
    assertThat(r.kept())
        .contains("sagemaker.instanceHour.ml.inf2.xlarge", "lambda.snapStart.restoreGb")
        .anyMatch(k -> k.startsWith("cloudFunctions"));
    assertThat(r.catalog().at("/sagemaker/instanceHour/ml.inf2.xlarge").asText()).isEqualTo("0.99");
    assertThat(r.catalog().path("date").asText()).isEqualTo("2026-12-02");
    assertThat(r.catalog().path("refreshedFrom").asText()).isEqualTo("2025-06-01");
    assertThat(r.catalog().path("source").asText()).contains("Price List Query API");
    assertThat(r.json()).contains("\"kept\"").contains("ml.inf2.xlarge");
  }

  @Test
  void followsNextTokenAndSendsTheRegionFilters() {
    PriceRefresh.Result r = PriceRefresh.refresh("us-east-1", client, TODAY);

    // the provisioned-concurrency products are only on page 2
    assertThat(r.refreshed())
        .containsEntry("lambda.provisioned.arm64.concurrencyGbSecond", "0.0000033334")
        .containsEntry("lambda.provisioned.x86_64.durationGbSecond", "0.0000097222");
    List<JsonNode> lambda =
        requests.stream()
            .map(Request::body)
            .filter(b -> b.path("ServiceCode").asText().equals("AWSLambda"))
            .toList();
    assertThat(lambda).hasSize(2);
    assertThat(lambda.get(0).has("NextToken")).isFalse();
    assertThat(lambda.get(1).path("NextToken").asText()).startsWith("eyJwYWdlIjoy");
    assertThat(requests)
        .hasSize(6)
        .allSatisfy(q -> assertThat(q.target()).isEqualTo("AWSPriceListService.GetProducts"));
    assertThat(lambda.get(0).path("Filters").toString())
        .contains("\"Field\":\"regionCode\"", "\"Value\":\"us-east-1\"", "TERM_MATCH");
    JsonNode transfer =
        requests.stream()
            .map(Request::body)
            .filter(b -> b.path("ServiceCode").asText().equals("AWSDataTransfer"))
            .findFirst()
            .orElseThrow();
    assertThat(transfer.path("Filters").toString())
        .contains("\"Field\":\"fromRegionCode\"", "\"Value\":\"AWS Outbound\"");
  }

  @Test
  void anAwsErrorIsOneLineNamingTheCall() {
    deny = true;
    assertThatThrownBy(() -> PriceRefresh.refresh("us-east-1", client, TODAY))
        .isInstanceOf(EstimateException.class)
        .hasMessageStartingWith("Price List Query API (GetProducts AWSLambda): ")
        .hasMessageContaining("is not authorized to perform: pricing:GetProducts")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void anUnknownRegionListsTheValidOnesBeforeAnyRequest() {
    assertThatThrownBy(() -> PriceRefresh.refresh("mars-north-1", client, TODAY))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("mars-north-1")
        .hasMessageContaining("eu-west-1, us-east-1, us-east-2, us-west-2");
    assertThat(requests).isEmpty();
  }

  @Test
  void neverWritesOverAShippedCatalog() {
    assertThatThrownBy(
            () ->
                PriceRefresh.checkNotShipped(
                    Path.of("src/main/resources/dev/snapserve/estimate/prices/us-east-1.json")))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("shipped price catalog");
    PriceRefresh.checkNotShipped(PriceRefresh.defaultOutput("us-east-1", TODAY));
    assertThat(PriceRefresh.defaultOutput("us-east-1", TODAY))
        .isEqualTo(Path.of("us-east-1-2026-12-02.json"));
  }
}
