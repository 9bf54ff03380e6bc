package dev.snapserve.functions;

import static dev.snapserve.functions.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SNAPSERVE_ROUTES: API versions to model versions, with a sticky weighted canary. */
class RouterTest {
  static final String ROUTES = "v1=digits@1;v2=digits@1:90,digits@2:10";
  static final JsonNode DIGITS = Fixtures.golden("digits-heldout.json");
  static final String BODY = "{\"instances\":[" + DIGITS.get("inputs").get("pixels").get(0) + "]}";

  @TempDir static Path tmp;
  static Path v2;
  static InferenceService service;

  @BeforeAll
  static void load() {
    // version 2: the same model file under a manifest saying "2", so the hash still matches
    v2 = Fixtures.copyBundle("demo", tmp.resolve("digits-2"));
    Fixtures.editManifest(v2, m -> m.put("version", "2"));
    service =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.demo(), v2))
                .withRouting(ROUTES, "digits:stable=1,canary=2"),
            o -> {});
  }

  @AfterAll
  static void close() {
    service.close();
  }

  static ServeRequest predict(String api, String key) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    if (key != null) headers.put("X-Request-Key", key);
    return ServeRequest.of("POST", "/" + api + "/predict", headers, Fixtures.bytes(BODY), null);
  }

  static String version(ServeResponse r) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    return r.headers().get("X-Model-Version");
  }

  @Test
  void bothVersionsAreServed() {
    assertThat(service.models())
        .extracting(m -> m.name() + "@" + m.version())
        .containsExactly("digits@1", "digits@2");
    JsonNode status = json(service.handle(Fixtures.get("/v1/models/digits")).body());
    assertThat(status.get("model_version_status")).hasSize(2);
    // no version: the newest
    ServeResponse newest = service.handle(Fixtures.post("/v1/models/digits:predict", BODY));
    assertThat(version(newest)).isEqualTo("2");
    ServeResponse canary =
        service.handle(Fixtures.post("/v1/models/digits/labels/canary:predict", BODY));
    assertThat(version(canary)).isEqualTo("2");
  }

  @Test
  void pinnedRouteAlwaysServesItsVersion() {
    for (int i = 0; i < 50; i++) {
      assertThat(version(service.handle(predict("v1", "key-" + i)))).isEqualTo("1");
      assertThat(version(service.handle(predict("v1", null)))).isEqualTo("1");
    }
  }

  @Test
  void theSameKeyAlwaysGetsTheSameVersion() {
    for (int k = 0; k < 40; k++) {
      String key = "user-" + k;
      String first = version(service.handle(predict("v2", key)));
      for (int i = 0; i < 10; i++) {
        assertThat(version(service.handle(predict("v2", key)))).as(key).isEqualTo(first);
      }
    }
  }

  @Test
  void keyHeaderNameIsCaseInsensitive() {
    String key = "user-7";
    String expected = version(service.handle(predict("v2", key)));
    ServeRequest lower =
        ServeRequest.of(
            "POST",
            "/v2/predict",
            Map.of("content-type", "application/json", "x-request-key", key),
            Fixtures.bytes(BODY),
            null);
    assertThat(version(service.handle(lower))).isEqualTo(expected);
  }

  @Test
  void aboutTenPercentOfDistinctKeysLandOnTheCanary() {
    int onV2 = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      if (version(service.handle(predict("v2", "caller-" + i))).equals("2")) onV2++;
    }
    assertThat(onV2 / (double) n).isBetween(0.06, 0.14);
  }

  @Test
  void keysThatDifferOnlyInTheirLastCharacterStillSpread() {
    // sequential ids are the common case (user ids, tenant numbers)
    int onV2 = 0;
    for (int i = 0; i < 2000; i++) {
      if (version(service.handle(predict("v2", Integer.toString(i)))).equals("2")) onV2++;
    }
    assertThat(onV2 / 2000.0).isBetween(0.06, 0.14);
  }

  @Test
  void keylessRequestsSplitBothWays() {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      seen.merge(version(service.handle(predict("v2", null))), 1, Integer::sum);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrder("1", "2");
    // 10% of 1000: P(outside 40..200) is negligible for a fair generator
    assertThat(seen.get("2")).isBetween(40, 200);
    // an empty key counts as no key
    Map<String, Integer> empty = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      empty.merge(version(service.handle(predict("v2", ""))), 1, Integer::sum);
    }
    assertThat(empty.keySet()).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void unknownApiVersionIs404() {
    ServeResponse r = service.handle(predict("v9", "k"));
    assertThat(r.status()).isEqualTo(404);
    JsonNode body = json(r.body());
    assertThat(body.get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(body.get("error").asText()).contains("'v9'", "v1", "v2");
  }

  @Test
  void routesNamingWhatIsNotLoadedFailAtCreate() {
    SnapserveConfig base = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    record Case(String routes, List<String> mentions) {}
    for (Case c :
        List.of(
            new Case("v1=digits@3", List.of("v1=digits@3", "'3'")),
            new Case("v1=digits@1;v2=digits@1:90,digits@2:10", List.of("digits@2:10", "'2'")),
            new Case("v1=nope", List.of("v1=nope", "'nope'")),
            new Case("v1=digits@1:0", List.of("weight must be a positive integer")),
            new Case("v1=digits@1:x", List.of("weight must be a positive integer")),
            new Case("api=digits", List.of("'api=digits'", "v1=model@version")),
            new Case("digits@1", List.of("'digits@1'")))) {
      assertThatThrownBy(
              () -> InferenceService.create(base.withRouting(c.routes(), null), o -> {}).close())
          .as(c.routes())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SNAPSERVE_ROUTES")
          .hasMessageContainingAll(c.mentions().toArray(String[]::new));
    }
  }

  @Test
  void versionLabelsNamingWhatIsNotLoadedFailAtCreate() {
    SnapserveConfig base = SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo()));
    assertThatThrownBy(
            () -> InferenceService.create(base.withRouting(null, "digits:stable=2"), o -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("digits:stable")
        .hasMessageContaining("not loaded");
    assertThatThrownBy(() -> InferenceService.create(base.withRouting(null, "digits"), o -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SNAPSERVE_VERSION_LABELS");
  }

  @Test
  void routesMayNameALabel() {
    try (InferenceService s =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.demo(), v2))
                .withRouting("v1=digits@stable;v3=digits@canary", "digits:stable=1,canary=2"),
            o -> {})) {
      assertThat(version(s.handle(predict("v1", null)))).isEqualTo("1");
      assertThat(version(s.handle(predict("v3", null)))).isEqualTo("2");
    }
  }

  @Test
  void defaultRoutesMapV1ToTheFirstBundle() {
    try (InferenceService s =
        InferenceService.create(
            SnapserveConfig.defaults()
                .withBundles(List.of(Fixtures.bundle("seqpool"), Fixtures.demo())),
            o -> {})) {
      ServeResponse r =
          s.handle(
              Fixtures.post(
                  "/v1/predict",
                  Map.of(
                      "instances",
                      Fixtures.golden("seqpool-golden.json").get("inputs").get("frames"))));
      assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("X-Model-Name", "seqpool");
      assertThat(s.handle(predict("v2", null)).status()).isEqualTo(404);
    }
    // with two versions of the first model, its newest
    try (InferenceService s =
        InferenceService.create(
            SnapserveConfig.defaults().withBundles(List.of(Fixtures.demo(), v2)), o -> {})) {
      assertThat(version(s.handle(predict("v1", null)))).isEqualTo("2");
    }
  }
}
