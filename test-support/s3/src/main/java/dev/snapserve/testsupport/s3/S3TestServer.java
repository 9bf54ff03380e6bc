package dev.snapserve.testsupport.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (Adobe S3Mock) running in this JVM, plain HTTP on 127.0.0.1 and a
 * free port, storing objects in a temporary directory that {@link #close} deletes. Any access key
 * is accepted; signatures are not checked.
 */
public final class S3TestServer implements AutoCloseable {
  /** The region S3Mock reports; clients should sign for it. */
  public static final String REGION = "us-east-1";

  private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

  private final S3MockApplication app;
  private final Path root;

  private S3TestServer(S3MockApplication app, Path root) {
    this.app = app;
    this.root = root;
  }

  /** Starts a server with the given buckets already created. */
  public static S3TestServer start(String... buckets) {
    Path root;
    try {
      root = Files.createTempDirectory("s3mock");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Spring Boot would take over logging (Logback) and fails when the test classpath carries
    // another SLF4J binding (the Cloud Functions invoker jar does): leave logging alone
    if (System.getProperty(LOGGING_SYSTEM) == null) System.setProperty(LOGGING_SYSTEM, "none");
    Map<String, Object> props = new HashMap<>();
    // every connector on a free port; S3Mock's own HTTPS and S3 Vectors connectors included
    props.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    props.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
    props.put("vectors.http.port", S3MockApplication.RANDOM_PORT);
    props.put("vectors.https.port", S3MockApplication.RANDOM_PORT);
    props.put("server.address", "127.0.0.1");
    // the extra connectors have no address property of their own: LoopbackOnly binds them
    props.put("spring.main.sources", LoopbackOnly.class.getName());
    props.put("com.adobe.testing.s3mock.store.root", root.toString());
    props.put("com.adobe.testing.s3mock.store.initial-buckets", String.join(",", buckets));
    props.put("com.adobe.testing.s3mock.store.region", REGION);
    props.put("com.adobe.testing.s3mock.max-payload-size", "64MB");
    props.put(S3MockApplication.PROP_SILENT, true);
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.root", "WARN");
    return new S3TestServer(S3MockApplication.start(props), root);
  }

  /** The plain-HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + app.getHttpPort());
  }

  /**
   * The environment with which snapserve's own S3 code (publish, the Lambda bundle source) talks to
   * this server: {@code SNAPSERVE_S3_ENDPOINT}, the region and the credentials {@link #client()}
   * uses.
   */
  public Map<String, String> clientEnvironment() {
    return Map.of(
        "SNAPSERVE_S3_ENDPOINT",
        endpoint().toString(),
        "AWS_REGION",
        REGION,
        "AWS_ACCESS_KEY_ID",
        "test",
        "AWS_SECRET_ACCESS_KEY",
        "test");
  }

  /** A new client for this server (path-style, any credentials); close it after use. */
  public S3Client client() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .build();
  }

  @Override
  public void close() {
    app.stop();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
