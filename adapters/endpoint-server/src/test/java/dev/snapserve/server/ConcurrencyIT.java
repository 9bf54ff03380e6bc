package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many clients at once, more than the server has threads: every answer is the right one. */
class ConcurrencyIT {
  static final int CLIENTS = 8;
  static final int REQUESTS_EACH = 50;

  @Test
  void eightClientsTimesFiftyRequestsAllGetTheirOwnCorrectPrediction() throws Exception {
    SnapserveConfig config =
        SnapserveConfig.defaults()
            .withBundles(List.of(Fixtures.demo(), Fixtures.bundle("textcls")));
    try (EndpointServer server =
        new EndpointServer(
            InferenceService.create(config), ServerConfig.defaults().withPort(0).withThreads(4))) {
      server.start();
      URI base = server.baseUri();
      Set<String> ids = ConcurrentHashMap.newKeySet();
      List<Future<Integer>> clients = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          clients.add(pool.submit(() -> run(base, client, ids)));
        }
        int ok = 0;
        for (Future<Integer> f : clients) ok += f.get();
        assertThat(ok).isEqualTo(CLIENTS * REQUESTS_EACH);
      }
      assertThat(ids).hasSize(CLIENTS * REQUESTS_EACH);
    }
  }

  /** One client's requests: varying rows, batch sizes and protocols; returns how many matched. */
  private static int run(URI base, int client, Set<String> ids) {
    int ok = 0;
    for (int i = 0; i < REQUESTS_EACH; i++) {
      int from = (client * REQUESTS_EACH + i) * 3 % 360;
      int to = from + 1 + i % 4;
      String id = "c" + client + "-" + i;
      HttpResponse<byte[]> r;
      JsonNode predictions;
      switch (i % 3) {
        case 0 -> {
          r = post(base, "/v1/predict", id, Http.instances(from, to));
          predictions = Http.json(r).get("predictions");
        }
        case 1 -> {
          r = post(base, "/invocations", id, Http.instances(from, to));
          predictions = Http.json(r).get("predictions");
        }
        default -> {
          ObjectNode oip = Fixtures.JSON.createObjectNode();
          ObjectNode in = oip.putArray("inputs").addObject();
          in.put("name", "pixels").put("datatype", "FP32");
          in.putArray("shape").add(to - from).add(64);
          in.set("data", Http.pixels(from, to));
          r = post(base, "/v2/models/digits/infer", id, oip);
          predictions = EndpointServerIT.flatten(Http.json(r).get("outputs").get(0).get("data"));
        }
      }
      assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(200);
      assertThat(Http.header(r, "X-Request-Id")).isEqualTo(id);
      JsonNode expected = Http.logits(from, to);
      if (i % 3 == 2) expected = EndpointServerIT.flatten(expected);
      assertThat(Fixtures.maxAbsDiff(predictions, expected)).as(id).isLessThanOrEqualTo(1e-5);
      ids.add(Http.header(r, "X-Request-Id"));
      ok++;
    }
    return ok;
  }

  private static HttpResponse<byte[]> post(URI base, String path, String id, Object body) {
    return Http.send(
        Http.request(base, path)
            .header("Content-Type", "application/json")
            .header("X-Request-Id", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(body)))
            .build());
  }
}
