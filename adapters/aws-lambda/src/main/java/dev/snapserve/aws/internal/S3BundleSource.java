package dev.snapserve.aws.internal;

import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.S3Uri;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.internal.ManifestReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Loads a published bundle ({@code SNAPSERVE_BUNDLE_URI=s3://bucket/prefix/NAME/VERSION/}) into a
 * local cache at init: the manifest is always fetched, the model only when the cached copy does not
 * match the manifest's SHA-256. Whatever is downloaded is verified by {@link ModelBundle#load}
 * before it is served; a mismatch is refused and removed. The only class of the adapter that
 * touches the AWS SDK: nothing loads it when the variable is unset.
 */
public final class S3BundleSource {
  public static final String URI_VAR = "SNAPSERVE_BUNDLE_URI";
  public static final String CACHE_VAR = "SNAPSERVE_BUNDLE_CACHE_DIR";
  public static final String ENDPOINT_VAR = "SNAPSERVE_S3_ENDPOINT";

  /** Lambda's only writable directory. */
  public static final String DEFAULT_CACHE = "/tmp/snapserve-bundles";

  /**
   * @param bundle the verified local bundle (loaded once: serving uses it as is)
   * @param downloaded whether the model was downloaded (false: the cache matched)
   */
  public record Fetched(ModelBundle bundle, boolean downloaded) {}

  private S3BundleSource() {}

  /** Fetches the bundle named by {@code SNAPSERVE_BUNDLE_URI} in {@code env}. */
  public static Fetched fetch(Map<String, String> env) {
    S3Uri uri;
    try {
      uri = S3Uri.parse(env.get(URI_VAR).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(URI_VAR + ": " + e.getMessage(), e);
    }
    if (uri.prefix().isEmpty()) {
      throw new IllegalArgumentException(
          URI_VAR + " must name a published version, s3://bucket/prefix/NAME/VERSION/, got " + uri);
    }
    String cache = env.get(CACHE_VAR);
    Path root = Path.of(cache == null || cache.isBlank() ? DEFAULT_CACHE : cache.trim());
    // S3Uri refuses '.', '..' and empty segments: the prefix stays inside the cache
    Path local = root.resolve(uri.bucket()).resolve(uri.prefix());
    try (S3Client s3 = client(env)) {
      return fetch(s3, uri, local);
    } catch (NoSuchBucketException e) {
      throw loadError("bucket '" + uri.bucket() + "' of " + uri + " does not exist");
    } catch (SdkException e) {
      throw loadError("cannot download the bundle " + uri + ": " + e.getMessage());
    } catch (IOException e) {
      throw loadError("cannot cache the bundle " + uri + " in " + local + ": " + e.getMessage());
    }
  }

  private static Fetched fetch(S3Client s3, S3Uri uri, Path local) throws IOException {
    String manifestKey = uri.key(ModelBundle.MANIFEST_FILE);
    byte[] manifestJson;
    try {
      manifestJson =
          s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(manifestKey)).asByteArray();
    } catch (NoSuchKeyException e) {
      throw loadError(
          "no " + ModelBundle.MANIFEST_FILE + " at " + uri + ": is it published there?");
    }
    Manifest manifest;
    try {
      manifest = ManifestReader.read(manifestJson);
    } catch (IOException e) {
      throw loadError(
          uri + ModelBundle.MANIFEST_FILE + " is not a valid manifest: " + e.getMessage());
    }
    String file = manifest.model() == null ? null : manifest.model().file();
    if (file == null || !ModelBundle.isPlainFileName(file)) {
      throw loadError(uri + ModelBundle.MANIFEST_FILE + ": model.file must be a plain file name");
    }
    Files.createDirectories(local);
    replace(local.resolve(ModelBundle.MANIFEST_FILE), tmp -> Files.write(tmp, manifestJson));
    Path model = local.resolve(file);
    if (Files.isRegularFile(model)) {
      try {
        return new Fetched(ModelBundle.load(local), false);
      } catch (SnapserveException stale) {
        // another version or a damaged copy: download again
      }
    }
    String modelKey = uri.key(file);
    replace(
        model,
        tmp -> {
          Files.delete(tmp); // toFile refuses an existing file
          s3.getObject(b -> b.bucket(uri.bucket()).key(modelKey), ResponseTransformer.toFile(tmp));
        });
    try {
      return new Fetched(ModelBundle.load(local), true);
    } catch (SnapserveException e) {
      Files.deleteIfExists(model);
      throw loadError("s3://" + uri.bucket() + "/" + modelKey + " was refused: " + e.getMessage());
    }
  }

  private interface Writer {
    void write(Path tmp) throws IOException;
  }

  /** Temp file + atomic rename: a crash mid-download never leaves a partial file in the cache. */
  private static void replace(Path target, Writer writer) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      writer.write(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The S3 client from the environment map: the credentials Lambda puts in the environment are used
   * directly (cheaper than walking the default chain), the JDK's HTTP client, the region of the
   * function.
   */
  static S3Client client(Map<String, String> env) {
    var b =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(credentials(env))
            .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")));
    String endpoint = env.get(ENDPOINT_VAR);
    if (endpoint != null && !endpoint.isBlank()) {
      b.endpointOverride(URI.create(endpoint.trim())).forcePathStyle(true);
    }
    return b.build();
  }

  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String key = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key == null || secret == null) return DefaultCredentialsProvider.builder().build();
    String token = env.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(key, secret)
            : AwsSessionCredentials.create(key, secret, token));
  }

  private static SnapserveException loadError(String message) {
    return new SnapserveException(ErrorCode.MODEL_LOAD, message);
  }
}
