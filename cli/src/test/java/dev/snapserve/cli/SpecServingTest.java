package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.server.EndpointServer;
import dev.snapserve.server.Serve;
import dev.snapserve.server.ServerConfig;
import dev.snapserve.spec.DeploymentSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --spec snapserve.yaml}: the example spec's routes, weights honoured. */
class SpecServingTest {
  static final Path EXAMPLE = Fixtures.ROOT.resolve("snapserve.yaml");
  static final int REQUESTS = 400;
  static EndpointServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    SpecServing serving = SpecServing.of(DeploymentSpec.load(EXAMPLE));
    SnapserveConfig config = SnapserveConfig.builder().routes(serving.routes()).build();
    server =
        Serve.start(
            serving.bundles(),
            config,
            ServerConfig.defaults().withPort(0),
            new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void routesOfTheExampleSpecBecomeWeightedRoutes() {
    assertThat(SpecServing.of(DeploymentSpec.load(EXAMPLE)).routes())
        .isEqualTo(
            "v1=digits@1:10000;v2=digits@2:9000,digits@3:1000;v3=digits@2:8000,digits@3:2000");
  }

  @Test
  void eachVersionIsServedUnderTheSpecsNameWhateverItsManifestSays() {
    assertThat(SpecServing.of(DeploymentSpec.load(EXAMPLE)).bundles())
        .extracting(b -> b.manifest().name() + "@" + b.manifest().version())
        .containsExactly("digits@1", "digits@2", "digits@3");
  }

  @Test
  void v1AlwaysAnswersWithVersion1() throws Exception {
    assertThat(versionsServed("v1")).containsOnlyKeys("1");
  }

  @Test
  void v2SendsAboutTenPercentToTheCanary() throws Exception {
    Map<String, Integer> served = versionsServed("v2");
    assertThat(served).containsOnlyKeys("2", "3");
    assertThat(served.get("3") / (double) REQUESTS).isBetween(0.05, 0.15);
  }

  @Test
  void v3SplitsByTheEndpointVariantsWeights() throws Exception {
    Map<String, Integer> served = versionsServed("v3");
    assertThat(served.get("3") / (double) REQUESTS).isBetween(0.14, 0.26);
  }

  @Test
  void packagedArtifactsCannotBeServedLocally(@TempDir Path tmp) throws Exception {
    Path spec =
        Files.writeString(
            tmp.resolve("snapserve.yaml"),
            """
            service: svc
            models: {m: {"1": {artifact: dist/m-1.zip}}}
            targets: {fn: {type: lambda}}
            routes: {/v1/predict: {model: m@1}}
            """);
    assertThatThrownBy(() -> SpecServing.of(DeploymentSpec.load(spec)))
        .hasMessageContaining("m@1 points at a packaged artifact");
  }

  /** Model version header per response, for REQUESTS distinct request keys. */
  private static Map<String, Integer> versionsServed(String api) throws Exception {
    String row =
        Fixtures.golden("digits-heldout.json").get("inputs").get("pixels").get(0).toString();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(server.baseUri().resolve("/" + api + "/predict"))
                  .header("X-Request-Key", "caller-" + i)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [" + row + "]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      counts.merge(r.headers().firstValue("X-Model-Version").orElseThrow(), 1, Integer::sum);
    }
    return counts;
  }
}
