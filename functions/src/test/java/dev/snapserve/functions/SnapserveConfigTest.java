package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration: the SNAPSERVE_ environment, read once, and the documented defaults. */
class SnapserveConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    SnapserveConfig d = SnapserveConfig.defaults();
    assertThat(d.bundles()).isEmpty();
    assertThat(d.maxPayloadBytes()).isEqualTo(6L * 1024 * 1024);
    assertThat(d.maxPayloadBytes()).isEqualTo(SnapserveConfig.LAMBDA_PAYLOAD_LIMIT);
    assertThat(d.maxBatchSize()).isEqualTo(256);
    assertThat(d.allowNonFinite()).isFalse();
    assertThat(d.intraOpThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(d.graphOptimization()).isEqualTo("all");
    assertThat(d.routes()).isNull();
    assertThat(d.versionLabels()).isNull();
    assertThat(d.canaryKeyHeader()).isEqualTo("X-Request-Key");
    assertThat(d.primeIterations()).isEqualTo(16);
  }

  @Test
  void emptyEnvironmentGivesTheDefaults() {
    assertThat(SnapserveConfig.fromEnv(Map.of())).isEqualTo(SnapserveConfig.defaults());
    // blank numbers mean "unset", like an empty variable in a deployment template
    assertThat(
            SnapserveConfig.fromEnv(
                Map.of(
                    "SNAPSERVE_MAX_BATCH_SIZE", " ",
                    "SNAPSERVE_ALLOW_NON_FINITE", "",
                    "SNAPSERVE_GRAPH_OPTIMIZATION", "")))
        .isEqualTo(SnapserveConfig.defaults());
  }

  @Test
  void readsEverySnapserveVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("SNAPSERVE_BUNDLES", "/opt/models/a, /opt/models/b,,");
    env.put("SNAPSERVE_MAX_PAYLOAD_BYTES", "1048576");
    env.put("SNAPSERVE_MAX_BATCH_SIZE", " 32 ");
    env.put("SNAPSERVE_ALLOW_NON_FINITE", "TRUE");
    env.put("SNAPSERVE_INTRA_OP_THREADS", "3");
    env.put("SNAPSERVE_GRAPH_OPTIMIZATION", "basic");
    env.put("SNAPSERVE_ROUTES", "v1=digits@1;v2=digits@1:90,digits@2:10");
    env.put("SNAPSERVE_VERSION_LABELS", "digits:stable=1,canary=2");
    env.put("SNAPSERVE_CANARY_KEY_HEADER", "X-Tenant");
    env.put("SNAPSERVE_PRIME_ITERATIONS", "0");
    env.put("OTHER_MAX_BATCH_SIZE", "9"); // not ours
    SnapserveConfig c = SnapserveConfig.fromEnv(env);
    assertThat(c.bundles()).containsExactly(Path.of("/opt/models/a"), Path.of("/opt/models/b"));
    assertThat(c.maxPayloadBytes()).isEqualTo(1048576);
    assertThat(c.maxBatchSize()).isEqualTo(32);
    assertThat(c.allowNonFinite()).isTrue();
    assertThat(c.intraOpThreads()).isEqualTo(3);
    assertThat(c.graphOptimization()).isEqualTo("basic");
    assertThat(c.routes()).isEqualTo("v1=digits@1;v2=digits@1:90,digits@2:10");
    assertThat(c.versionLabels()).isEqualTo("digits:stable=1,canary=2");
    assertThat(c.canaryKeyHeader()).isEqualTo("X-Tenant");
    assertThat(c.primeIterations()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SNAPSERVE_MAX_PAYLOAD_BYTES",
        "SNAPSERVE_MAX_BATCH_SIZE",
        "SNAPSERVE_INTRA_OP_THREADS",
        "SNAPSERVE_PRIME_ITERATIONS"
      })
  void nonIntegersAreRejectedNamingTheVariable(String name) {
    for (String value : List.of("abc", "1.5", "6MB", "0x10")) {
      assertThatThrownBy(() -> SnapserveConfig.fromEnv(Map.of(name, value)))
          .as("%s=%s", name, value)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("'" + value + "'");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SNAPSERVE_MAX_BATCH_SIZE",
        "SNAPSERVE_INTRA_OP_THREADS",
        "SNAPSERVE_PRIME_ITERATIONS"
      })
  void intVariablesDoNotWrapAround(String name) {
    // 2^32 + 1 would silently become 1 if narrowed from long
    assertThatThrownBy(() -> SnapserveConfig.fromEnv(Map.of(name, "4294967297")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("4294967297");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SNAPSERVE_MAX_PAYLOAD_BYTES",
        "SNAPSERVE_MAX_BATCH_SIZE",
        "SNAPSERVE_INTRA_OP_THREADS",
        "SNAPSERVE_PRIME_ITERATIONS"
      })
  void outOfRangeValuesAreRejectedNamingTheVariable(String name) {
    assertThatThrownBy(() -> SnapserveConfig.fromEnv(Map.of(name, "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("-1");
  }

  @Test
  void booleanThatIsNotTrueOrFalseIsRejected() {
    assertThat(
            SnapserveConfig.fromEnv(Map.of("SNAPSERVE_ALLOW_NON_FINITE", "false")).allowNonFinite())
        .isFalse();
    for (String value : List.of("yes", "1", "on", "ture")) {
      assertThatThrownBy(() -> SnapserveConfig.fromEnv(Map.of("SNAPSERVE_ALLOW_NON_FINITE", value)))
          .as(value)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SNAPSERVE_ALLOW_NON_FINITE")
          .hasMessageContaining("'" + value + "'");
    }
  }

  @Test
  void unknownGraphOptimizationFailsFastNamingTheVariable() {
    for (String ok : List.of("none", "basic", "extended", "all", "ALL")) {
      assertThat(
              SnapserveConfig.fromEnv(Map.of("SNAPSERVE_GRAPH_OPTIMIZATION", ok))
                  .graphOptimization())
          .isEqualTo(ok);
    }
    assertThatThrownBy(
            () -> SnapserveConfig.fromEnv(Map.of("SNAPSERVE_GRAPH_OPTIMIZATION", "fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SNAPSERVE_GRAPH_OPTIMIZATION")
        .hasMessageContaining("'fast'");
  }

  @Test
  void recordRejectsImpossibleValues() {
    SnapserveConfig d = SnapserveConfig.defaults();
    assertThatThrownBy(() -> d.withMaxPayloadBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPayloadBytes");
    assertThatThrownBy(
            () ->
                new SnapserveConfig(
                    List.of(), 1, 0, false, 1, "all", null, null, "X-Request-Key", 1))
        .hasMessageContaining("maxBatchSize");
    assertThatThrownBy(
            () ->
                new SnapserveConfig(
                    List.of(), 1, 1, false, 1, "sometimes", null, null, "X-Request-Key", 1))
        .hasMessageContaining("graph optimization");
  }

  @Test
  void withersChangeOnlyTheirField() {
    SnapserveConfig d = SnapserveConfig.defaults();
    SnapserveConfig b = d.withBundles(List.of(Path.of("x")));
    assertThat(b.bundles()).containsExactly(Path.of("x"));
    assertThat(b.withBundles(List.of())).isEqualTo(d);
    assertThat(d.withMaxPayloadBytes(5).maxPayloadBytes()).isEqualTo(5);
    assertThat(d.withMaxPayloadBytes(5).withMaxPayloadBytes(d.maxPayloadBytes())).isEqualTo(d);
    SnapserveConfig r = d.withRouting("v1=a", "a:s=1");
    assertThat(r.routes()).isEqualTo("v1=a");
    assertThat(r.versionLabels()).isEqualTo("a:s=1");
    assertThat(r.withRouting(null, null)).isEqualTo(d);
  }

  @Test
  void bundlesAreCopiedImmutably() {
    List<Path> mutable = new java.util.ArrayList<>(List.of(Path.of("a")));
    SnapserveConfig c = SnapserveConfig.defaults().withBundles(mutable);
    mutable.add(Path.of("b"));
    assertThat(c.bundles()).containsExactly(Path.of("a"));
  }
}
