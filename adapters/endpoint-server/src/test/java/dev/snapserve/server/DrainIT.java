package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.ServeRequest;
import dev.snapserve.functions.SnapserveConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop while requests are running: the listener closes at once, the requests still finish. */
class DrainIT {
  @Test
  void stopClosesTheListenerAndCompletesInFlightRequests() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    // holds requests whose id starts with "hold-" inside the service, after their answer is built
    RequestListener holding =
        o -> {
          if (o.requestId().startsWith("hold-")) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    SnapserveConfig config = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    EndpointServer server =
        new EndpointServer(
            InferenceService.create(config, holding), ServerConfig.defaults().withPort(0));
    InetSocketAddress address = server.start();
    URI base = server.baseUri();
    try {
      CompletableFuture<HttpResponse<byte[]>> first = async(base, "hold-1", 0, 3);
      CompletableFuture<HttpResponse<byte[]>> second = async(base, "hold-2", 3, 4);
      assertThat(entered.await(30, TimeUnit.SECONDS)).as("requests reached the service").isTrue();
      assertThat(server.inFlight()).isEqualTo(2);

      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(60)));
      awaitRefused(address);
      // both requests are still held, so neither they nor the stop can have finished
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      assertThat(stopping).isNotDone();

      release.countDown();
      HttpResponse<byte[]> r1 = first.get(30, TimeUnit.SECONDS);
      HttpResponse<byte[]> r2 = second.get(30, TimeUnit.SECONDS);
      Http.assertDigits(r1, 0, 3);
      Http.assertDigits(r2, 3, 4);
      assertThat(Http.header(r1, "Connection")).isEqualTo("close");
      stopping.get(30, TimeUnit.SECONDS);
      assertThat(server.inFlight()).isZero();
      assertThatThrownBy(() -> Http.post(base, "/v1/predict", Http.instances(0, 1)))
          .hasCauseInstanceOf(ConnectException.class);
    } finally {
      release.countDown();
      server.close();
    }
  }

  @Test
  void stopWithNothingInFlightAndCloseAreIdempotent() {
    SnapserveConfig config = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    EndpointServer server =
        new EndpointServer(InferenceService.create(config), ServerConfig.defaults().withPort(0));
    server.start();
    Http.assertDigits(Http.post(server.baseUri(), "/v1/predict", Http.instances(5, 6)), 5, 6);
    server.stop(Duration.ofSeconds(5));
    server.stop(Duration.ofSeconds(5));
    server.close();
    server.close();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeWithNoGraceStillClosesTheModelsOnceNothingIsInFlight() {
    SnapserveConfig config = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    InferenceService service = InferenceService.create(config, o -> {});
    EndpointServer server =
        new EndpointServer(
            service, ServerConfig.defaults().withPort(0).withShutdownGrace(Duration.ZERO));
    server.start();
    Http.assertDigits(Http.post(server.baseUri(), "/v1/predict", Http.instances(5, 6)), 5, 6);
    ServeRequest predict =
        ServeRequest.of(
            "POST",
            "/v1/predict",
            Map.of("Content-Type", "application/json"),
            Fixtures.bytes(Http.instances(5, 6)),
            null);
    assertThat(service.handle(predict).status()).isEqualTo(200);

    server.close();
    // the session is closed: the service can no longer run the model
    assertThat(service.handle(predict).status()).isEqualTo(500);
  }

  private static CompletableFuture<HttpResponse<byte[]>> async(
      URI base, String id, int from, int to) {
    return Http.CLIENT.sendAsync(
        Http.request(base, "/v1/predict")
            .header("Content-Type", "application/json")
            .header("X-Request-Id", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(Http.instances(from, to))))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Waits (up to a generous bound) until new connections are refused. */
  private static void awaitRefused(InetSocketAddress address) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(address, 1000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        // keep trying
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the server still accepts connections after stop() began");
  }
}
