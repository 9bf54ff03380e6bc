package dev.snapserve.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionedPredictPathTest {
  @ParameterizedTest
  @ValueSource(strings = {"/v1/predict", "/v2/predict", "/v10/predict", "/v007/predict"})
  void matches(String path) {
    assertThat(Engine.isVersionedPredict(path)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v/predict",
        "/vx/predict",
        "/v1x/predict",
        "/v1/predicts",
        "/v1/predic",
        "/v1/models/digits:predict",
        "/v1/x/predict",
        "/v\u0661/predict",
        "/predict",
        "/v1predict",
        "/",
        ""
      })
  void rejects(String path) {
    assertThat(Engine.isVersionedPredict(path)).isFalse();
  }
}
