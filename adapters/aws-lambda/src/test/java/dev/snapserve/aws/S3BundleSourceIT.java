package dev.snapserve.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.aws.internal.S3BundleSource;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.testsupport.s3.S3TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** SNAPSERVE_BUNDLE_URI against a real S3-compatible server (S3Mock) in this JVM, on loopback. */
class S3BundleSourceIT {
  private static final String BUCKET = "bundles";
  private static S3TestServer server;
  private static S3Client s3;

  @TempDir Path cache;

  @BeforeAll
  static void start() {
    server = S3TestServer.start(BUCKET);
    s3 = server.client();
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  /** Uploads the demo bundle the way `snapserve publish` lays it out. */
  private static String publishDemo(String prefix) throws IOException {
    for (String f : List.of("model.onnx", "manifest.json")) {
      put(prefix + "digits/1/" + f, Files.readAllBytes(Fixtures.demo().resolve(f)));
    }
    return "s3://" + BUCKET + "/" + prefix + "digits/1/";
  }

  private static void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private Map<String, String> env(String uri) {
    Map<String, String> env = new HashMap<>(server.clientEnvironment());
    env.put("SNAPSERVE_BUNDLE_URI", uri);
    env.put("SNAPSERVE_BUNDLE_CACHE_DIR", cache.toString());
    env.put("SNAPSERVE_PRIME_ON_INIT", "false");
    return env;
  }

  @Test
  void initDownloadsVerifiesAndServesTheBundleThenReusesTheCache() throws Exception {
    String uri = publishDemo("ok/");
    try (InferenceService service = PredictHandler.boot(env(uri))) {
      JsonNode r = invoke(new PredictHandler(service), "apigw-http-v2/predict.json");
      assertThat(r.get("statusCode").asInt()).isEqualTo(200);
      PredictHandlerTest.assertGoldenRow0(PredictHandlerTest.body(r).get("predictions").get(0));
    }
    Path cached = cache.resolve(BUCKET).resolve("ok/digits/1");
    assertThat(cached.resolve("model.onnx"))
        .hasSameBinaryContentAs(Fixtures.demo().resolve("model.onnx"));

    assertThat(S3BundleSource.fetch(env(uri)).downloaded()).isFalse();
    // proof that a second init does not download the model: it is gone from S3 and init works
    s3.deleteObject(b -> b.bucket(BUCKET).key("ok/digits/1/model.onnx"));
    try (InferenceService again = PredictHandler.boot(env(uri))) {
      assertThat(again.models())
          .extracting(m -> m.name() + "@" + m.version())
          .containsExactly("digits@1");
    }
  }

  @Test
  void aTamperedModelObjectIsRefusedAndNotLeftInTheCache() throws Exception {
    String uri = publishDemo("tampered/");
    byte[] model = Files.readAllBytes(Fixtures.demo().resolve("model.onnx"));
    model[model.length - 100] ^= 0x5a; // same size, different bytes
    put("tampered/digits/1/model.onnx", model);

    assertThatThrownBy(() -> PredictHandler.boot(env(uri)))
        .isInstanceOf(SnapserveException.class)
        .satisfies(e -> assertThat(((SnapserveException) e).code()).isEqualTo(ErrorCode.MODEL_LOAD))
        .hasMessageContaining("s3://bundles/tampered/digits/1/model.onnx was refused")
        .hasMessageContaining("but the manifest says");
    assertThat(cache.resolve(BUCKET).resolve("tampered/digits/1/model.onnx")).doesNotExist();
  }

  @Test
  void aStaleCacheIsReplacedWhenTheManifestChanges() throws Exception {
    String uri = publishDemo("stale/");
    Path cachedModel = cache.resolve(BUCKET).resolve("stale/digits/1/model.onnx");
    Files.createDirectories(cachedModel.getParent());
    Files.writeString(cachedModel, "an older model");
    S3BundleSource.Fetched f = S3BundleSource.fetch(env(uri));
    assertThat(f.downloaded()).isTrue();
    assertThat(cachedModel).hasSameBinaryContentAs(Fixtures.demo().resolve("model.onnx"));
  }

  @Test
  void missingVersionBucketOrMalformedUriAreClearErrors() {
    assertThatThrownBy(() -> S3BundleSource.fetch(env("s3://bundles/nothing/digits/9/")))
        .isInstanceOf(SnapserveException.class)
        .hasMessage("no manifest.json at s3://bundles/nothing/digits/9/: is it published there?");
    assertThatThrownBy(() -> S3BundleSource.fetch(env("s3://no-such-bucket/digits/1/")))
        .isInstanceOf(SnapserveException.class)
        .hasMessageContaining("no-such-bucket");
    assertThatThrownBy(() -> S3BundleSource.fetch(env("https://bundles/digits/1/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SNAPSERVE_BUNDLE_URI: 'https://bundles/digits/1/' is not an S3 URI");
    Map<String, String> both = env("s3://bundles/ok/digits/1/");
    both.put("SNAPSERVE_BUNDLES", Fixtures.demo().toString());
    assertThatThrownBy(() -> PredictHandler.boot(both))
        .hasMessage("set SNAPSERVE_BUNDLE_URI or SNAPSERVE_BUNDLES, not both");
  }

  private static JsonNode invoke(PredictHandler handler, String event) throws IOException {
    try (InputStream in = S3BundleSourceIT.class.getResourceAsStream("/" + event)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(in.readAllBytes()), out, new LocalContext());
      return Fixtures.json(out.toByteArray());
    }
  }
}
