package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapserve serve} end to end: load, prime, bind, print, answer. */
class ServeIT {
  static final SnapserveConfig CONFIG = SnapserveConfig.builder().primeIterations(2).build();
  static final ServerConfig EPHEMERAL = ServerConfig.defaults().withPort(0);

  @Test
  void servesABareOnnxFileAndWritesNothingNextToIt() throws IOException {
    Path onnx = Fixtures.bundle("mlp784").resolve("model.onnx");
    Map<Path, FileTime> before = listing(onnx.getParent());
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    try (EndpointServer server =
        Serve.start(List.of(onnx), null, null, CONFIG, EPHEMERAL, print(banner))) {
      URI base = server.baseUri();
      assertThat(banner.toString(StandardCharsets.UTF_8))
          .matches(
              "snapserve: serving model@1 on http://127\\.0\\.0\\.1:\\d+ in \\d+ ms \\(routes: POST"
                  + " /v1/predict, POST /v1/models/\\{name\\}:predict, POST"
                  + " /v2/models/\\{name\\}/infer, GET /v2/health/ready, GET /ping, POST"
                  + " /invocations\\)\\R");
      assertThat(banner.toString(StandardCharsets.UTF_8)).contains(base.toString());

      JsonNode g = Fixtures.golden("mlp784-golden.json");
      JsonNode rows = g.get("inputs").get("input");
      ObjectNode body = Fixtures.JSON.createObjectNode();
      ObjectNode in = body.putArray("inputs").addObject();
      in.put("name", "input").put("datatype", "FP32");
      in.putArray("shape").add(rows.size()).add(784);
      in.set("data", rows);
      HttpResponse<byte[]> r = Http.post(base, "/v2/models/model/infer", body);
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
      JsonNode out = Http.json(r).get("outputs").get(0);
      assertThat(
              Fixtures.maxAbsDiff(
                  out.get("data"), EndpointServerIT.flatten(g.get("outputs").get("logits"))))
          .isLessThanOrEqualTo(1e-5);

      HttpResponse<byte[]> rows1 = Http.post(base, "/v1/predict", Map.of("instances", rows));
      assertThat(rows1.statusCode()).as(Http.text(rows1)).isEqualTo(200);
      assertThat(Http.header(rows1, "X-Model-Name")).isEqualTo("model");
      assertThat(Http.header(rows1, "X-Model-Version")).isEqualTo("1");
      assertThat(
              Fixtures.maxAbsDiff(
                  Http.json(rows1).get("predictions"), g.get("outputs").get("logits")))
          .isLessThanOrEqualTo(1e-5);
    }
    assertThat(listing(onnx.getParent())).isEqualTo(before);
  }

  @Test
  void aBareOnnxFileTakesANameAndVersion(@TempDir Path dir) throws IOException {
    Path onnx = Files.copy(Fixtures.bundle("mlp784").resolve("model.onnx"), dir.resolve("m.onnx"));
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    try (EndpointServer server =
        Serve.start(List.of(onnx), "mlp", "7", CONFIG, EPHEMERAL, print(banner))) {
      assertThat(banner.toString(StandardCharsets.UTF_8))
          .startsWith("snapserve: serving mlp@7 on ");
      HttpResponse<byte[]> r = Http.get(server.baseUri(), "/v2/models/mlp/versions/7/ready");
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.onnx");
    }
  }

  @Test
  void servesSeveralBundlesAndListsTheConfiguredApiVersions() {
    SnapserveConfig routed = CONFIG.withRouting("v1=digits@1;v2=textcls", null);
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    try (EndpointServer server =
        Serve.start(
            List.of(Fixtures.demo(), Fixtures.bundle("textcls")),
            null,
            null,
            routed,
            EPHEMERAL,
            print(banner))) {
      assertThat(banner.toString(StandardCharsets.UTF_8))
          .startsWith("snapserve: serving digits@1, textcls@1 on http://127.0.0.1:")
          .contains("(routes: POST /v1/predict, POST /v2/predict, POST /v1/models/");
      Http.assertDigits(Http.post(server.baseUri(), "/v1/predict", Http.instances(9, 11)), 9, 11);
      JsonNode g = Fixtures.golden("textcls-golden.json");
      HttpResponse<byte[]> r =
          Http.post(server.baseUri(), "/v2/predict", Map.of("inputs", g.get("inputs")));
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
      assertThat(Http.json(r).get("outputs").get("label")).isEqualTo(g.get("outputs").get("label"));
    }
  }

  @Test
  void aPortInUseIsAClearError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ByteArrayOutputStream banner = new ByteArrayOutputStream();
      assertThatThrownBy(
              () ->
                  Serve.start(
                      List.of(Fixtures.demo()),
                      null,
                      null,
                      CONFIG,
                      ServerConfig.defaults().withPort(port),
                      print(banner)))
          .isInstanceOf(ServeException.class)
          .hasMessageStartingWith("port " + port + " is in use; pass --port");
      assertThat(banner.size()).isZero();
    }
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  /** Every file under a directory with its modification time. */
  private static Map<Path, FileTime> listing(Path dir) throws IOException {
    Map<Path, FileTime> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) files.put(p, Files.getLastModifiedTime(p));
    }
    return files;
  }
}
