package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    ServerConfig d = ServerConfig.defaults();
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.threads()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServerConfig.fromEnv(Map.of())).isEqualTo(d);
  }

  @Test
  void environmentOverridesTheDefaults() {
    Map<String, String> env =
        Map.of(
            "SNAPSERVE_HOST", "0.0.0.0",
            "SNAPSERVE_PORT", "0",
            "SNAPSERVE_SERVER_THREADS", "3",
            "SNAPSERVE_SHUTDOWN_GRACE_SECONDS", "0",
            "SNAPSERVE_READ_TIMEOUT_SECONDS", "7");
    ServerConfig c = ServerConfig.fromEnv(env);
    assertThat(c)
        .isEqualTo(new ServerConfig("0.0.0.0", 0, 3, Duration.ZERO, Duration.ofSeconds(7)));
  }

  @Test
  void sageMakersBindToPortWinsOverSnapservePort() {
    ServerConfig c =
        ServerConfig.fromEnv(Map.of("SNAPSERVE_PORT", "9000", "SAGEMAKER_BIND_TO_PORT", "8081"));
    assertThat(c.port()).isEqualTo(8081);
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SAGEMAKER_BIND_TO_PORT", "x")))
        .hasMessageContaining("SAGEMAKER_BIND_TO_PORT");
  }

  @Test
  void malformedValuesFailFastNamingTheVariable() {
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SNAPSERVE_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SNAPSERVE_PORT");
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SNAPSERVE_PORT", "70000")))
        .hasMessageContaining("port must be 0..65535");
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SNAPSERVE_SERVER_THREADS", "-2")))
        .hasMessageContaining("SNAPSERVE_SERVER_THREADS");
    assertThatThrownBy(() -> ServerConfig.defaults().withThreads(0))
        .hasMessageContaining("threads must be > 0");
    assertThatThrownBy(() -> ServerConfig.defaults().withHost(" ")).hasMessageContaining("host");
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("SNAPSERVE_READ_TIMEOUT_SECONDS", "1s")))
        .hasMessageContaining("SNAPSERVE_READ_TIMEOUT_SECONDS");
  }
}
