package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.json;
import static dev.snapserve.functions.Fixtures.maxAbsDiff;
import static dev.snapserve.functions.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One service, many threads: pooled input buffers and shared sessions must never mix requests. Each
 * thread sends different rows (and batch sizes, and protocols), so a buffer handed to two requests
 * at once, or returned too early, shows up as a wrong answer.
 */
class ConcurrencyTest {
  static final JsonNode DIGITS = Fixtures.golden("digits-heldout.json");
  static final JsonNode TEXT = Fixtures.golden("textcls-golden.json");
  static final int THREADS = 4;
  static final int REQUESTS = 200;

  @Test
  void fourThreadsOfTwoHundredPredictsAllMatchTheGoldenLogits() throws Exception {
    SnapserveConfig config =
        SnapserveConfig.defaults()
            .withBundles(List.of(Fixtures.demo(), Fixtures.bundle("textcls")));
    try (InferenceService service = InferenceService.create(config, o -> {});
        ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int checked = 0;
                  for (int i = 0; i < REQUESTS; i++) {
                    checkOne(service, thread, i);
                    checked++;
                  }
                  return checked;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) total += f.get();
      assertThat(total).isEqualTo(THREADS * REQUESTS);
    }
  }

  /** One request whose rows and size depend on the thread and iteration. */
  static void checkOne(InferenceService service, int thread, int i) {
    int first = (thread * 89 + i * 7) % 300;
    int batch = 1 + (thread + i) % 5;
    ArrayNode rows = Fixtures.JSON.createArrayNode();
    ArrayNode expected = Fixtures.JSON.createArrayNode();
    for (int r = first; r < first + batch; r++) {
      rows.add(DIGITS.get("inputs").get("pixels").get(r));
      expected.add(DIGITS.get("outputs").get("logits").get(r));
    }
    switch (i % 4) {
      case 0, 1 -> {
        ServeResponse resp = service.handle(post("/v1/predict", Map.of("instances", rows)));
        assertThat(resp.status()).as(resp.bodyText()).isEqualTo(200);
        assertThat(maxAbsDiff(json(resp.body()).get("predictions"), expected))
            .as("thread %d request %d rows %d..%d", thread, i, first, first + batch)
            .isLessThanOrEqualTo(1e-5);
      }
      case 2 -> {
        ArrayNode flat = Fixtures.JSON.createArrayNode();
        rows.forEach(r -> flat.addAll((ArrayNode) r));
        Map<String, Object> in =
            Map.of("name", "pixels", "datatype", "FP32", "shape", List.of(batch, 64), "data", flat);
        ServeResponse resp =
            service.handle(post("/v2/models/digits/infer", Map.of("inputs", List.of(in))));
        assertThat(resp.status()).as(resp.bodyText()).isEqualTo(200);
        ArrayNode want = Fixtures.JSON.createArrayNode();
        expected.forEach(r -> want.addAll((ArrayNode) r));
        assertThat(maxAbsDiff(json(resp.body()).get("outputs").get(0).get("data"), want))
            .as("thread %d request %d", thread, i)
            .isLessThanOrEqualTo(1e-5);
      }
      default -> {
        // two INT64 inputs from the same pool, between FP32 requests
        ServeResponse resp =
            service.handle(
                post("/v1/models/textcls:predict", Map.of("inputs", TEXT.get("inputs"))));
        assertThat(resp.status()).as(resp.bodyText()).isEqualTo(200);
        JsonNode out = json(resp.body()).get("outputs");
        assertThat(out.get("label")).isEqualTo(TEXT.get("outputs").get("label"));
        assertThat(maxAbsDiff(out.get("logits"), TEXT.get("outputs").get("logits")))
            .isLessThanOrEqualTo(1e-5);
      }
    }
  }
}
