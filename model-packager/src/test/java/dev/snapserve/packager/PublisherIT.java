package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.testsupport.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Publishes to a real S3-compatible server (Adobe S3Mock) in this JVM, on loopback. */
class PublisherIT {
  private static final String BUCKET = "models";
  private static S3TestServer server;
  private static S3Client s3;
  private static AwsOptions aws;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    server = S3TestServer.start(BUCKET);
    aws = new AwsOptions(S3TestServer.REGION, server.endpoint(), "test", "test", null);
    s3 = server.client();
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static Publisher.Result publish(Path source, String uri, Publisher.Options options) {
    return Publisher.publish(source, uri, options, aws, Progress.NONE);
  }

  private List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  @Test
  void publishesABundleUnderNameAndVersionWithSha256Checksums() throws Exception {
    Path bundle = Fixtures.bundle("demo");
    List<Long> steps = new ArrayList<>();
    Progress recording =
        (name, total, unit) ->
            new Progress.Task() {
              @Override
              public void stepTo(long done) {
                steps.add(done);
              }

              @Override
              public void close() {}
            };
    Publisher.Result r =
        Publisher.publish(
            bundle, "s3://models/team/prod", Publisher.Options.defaults(), aws, recording);

    assertThat(r.location()).isEqualTo("s3://models/team/prod/digits/1/");
    assertThat(r.replaced()).isFalse();
    assertThat(keys("team/prod/"))
        .containsExactlyInAnyOrder(
            "team/prod/digits/1/manifest.json", "team/prod/digits/1/model.onnx");
    // the manifest goes last: whoever sees it finds the model already there
    assertThat(r.objects().getLast().key()).endsWith("manifest.json");
    byte[] model = Files.readAllBytes(bundle.resolve("model.onnx"));
    assertThat(get("team/prod/digits/1/model.onnx")).isEqualTo(model);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    assertThat(r.objects()).anySatisfy(o -> assertThat(o.sha256()).isEqualTo(sha));
    assertThat(steps).isNotEmpty().last().isEqualTo((r.totalBytes() + 1023) / 1024);
  }

  @Test
  void refusesAnExistingVersionUnlessForcedAndForceRemovesStaleObjects() throws Exception {
    Path bundle = Fixtures.copyBundle("demo", tmp.resolve("bundle"));
    Files.writeString(bundle.resolve("README.txt"), "first");
    publish(bundle, "s3://models/force/", Publisher.Options.defaults());

    Files.delete(bundle.resolve("README.txt"));
    assertThatThrownBy(() -> publish(bundle, "s3://models/force/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("s3://models/force/digits/1/ already exists")
        .hasMessageContaining("--force");
    assertThat(keys("force/")).contains("force/digits/1/README.txt");

    Publisher.Result r =
        publish(bundle, "s3://models/force/", Publisher.Options.defaults().withForce(true));
    assertThat(r.replaced()).isTrue();
    assertThat(keys("force/"))
        .containsExactlyInAnyOrder("force/digits/1/manifest.json", "force/digits/1/model.onnx");
  }

  @Test
  void largeArtifactsGoUpInPartsAndArriveIntact() throws Exception {
    byte[] weights = new byte[11 * 1024 * 1024];
    new Random(7).nextBytes(weights);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(
        "model/manifest.json",
        Files.readAllBytes(Fixtures.bundle("demo").resolve("manifest.json")));
    entries.put("lib/weights.bin", weights);
    Path zip = TestArchives.zip(tmp.resolve("digits-lambda.zip"), entries);

    Publisher.Result r =
        publish(
            zip,
            "s3://models/artifacts/",
            Publisher.Options.defaults()
                .withMultipart(Publisher.MIN_PART_BYTES, Publisher.MIN_PART_BYTES));

    assertThat(r.objects()).singleElement().satisfies(o -> assertThat(o.parts()).isEqualTo(3));
    assertThat(r.objects().getFirst().key()).isEqualTo("artifacts/digits/1/digits-lambda.zip");
    byte[] back = get("artifacts/digits/1/digits-lambda.zip");
    assertThat(back).isEqualTo(Files.readAllBytes(zip));
    assertThat(r.objects().getFirst().sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(back)));
  }

  @Test
  void tarArtifactsTakeNameAndVersionFromTheirManifest() throws Exception {
    Path tar =
        TestArchives.tar(
            tmp.resolve("image.tar"),
            Map.of(
                "opt/ml/model/manifest.json",
                Files.readAllBytes(Fixtures.bundle("demo").resolve("manifest.json")),
                "manifest.json",
                TestArchives.bytes("[{\"Config\":\"config.json\"}]")));
    Publisher.Result r = publish(tar, "s3://models/images", Publisher.Options.defaults());
    assertThat(r.location()).isEqualTo("s3://models/images/digits/1/");
    assertThat(keys("images/")).containsExactly("images/digits/1/image.tar");
  }

  @Test
  void archiveEntriesThatEscapeAreRefusedBeforeAnyUpload() throws Exception {
    byte[] manifest = Files.readAllBytes(Fixtures.bundle("demo").resolve("manifest.json"));
    Path zip =
        TestArchives.zip(
            tmp.resolve("slip.zip"),
            Map.of("manifest.json", manifest, "lib/../../etc/cron.d/x", TestArchives.bytes("x")));
    assertThatThrownBy(() -> publish(zip, "s3://models/slip/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("unsafe entry name 'lib/../../etc/cron.d/x'")
        .hasMessageContaining("'..' segment");
    Path tar =
        TestArchives.tar(
            tmp.resolve("slip.tar"),
            Map.of("manifest.json", manifest, "/etc/passwd", TestArchives.bytes("x")));
    assertThatThrownBy(() -> publish(tar, "s3://models/slip/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("unsafe entry name '/etc/passwd' (absolute path)");
    assertThat(keys("slip/")).isEmpty();
  }

  @Test
  void aMissingBucketOrMalformedUriIsAClearError() {
    Path bundle = Fixtures.bundle("demo");
    assertThatThrownBy(
            () -> publish(bundle, "s3://no-such-bucket/x/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessage(
            "bucket 'no-such-bucket' does not exist (publishing to s3://no-such-bucket/x/digits/1/)");
    assertThatThrownBy(() -> publish(bundle, "s3:/models/x", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("'s3:/models/x' is not an S3 URI");
    assertThatThrownBy(() -> publish(bundle, "s3://Models_Bucket/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("bucket name 'Models_Bucket' is invalid");
  }

  @Test
  void aCorruptBundleIsNeverPublished() throws Exception {
    Path bundle = Fixtures.copyBundle("demo", tmp.resolve("corrupt"));
    byte[] model = Files.readAllBytes(bundle.resolve("model.onnx"));
    model[model.length / 2] ^= 1;
    Files.write(bundle.resolve("model.onnx"), model);
    assertThatThrownBy(() -> publish(bundle, "s3://models/corrupt/", Publisher.Options.defaults()))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("not a publishable bundle")
        .hasMessageContaining("SHA-256");
    assertThat(keys("corrupt/")).isEmpty();
  }
}
