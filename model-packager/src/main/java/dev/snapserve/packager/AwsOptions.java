package dev.snapserve.packager;

import java.net.URI;
import java.util.Map;

/**
 * Where and as whom the packager talks to AWS. Every field is optional: a null region or null
 * credentials fall back to the AWS SDK's default chains (environment, system properties, {@code
 * ~/.aws} profiles, container and instance roles).
 *
 * @param region e.g. {@code eu-west-1}; null: the SDK's default region chain
 * @param endpoint an S3-compatible endpoint (path-style addressing is then used); null: AWS
 * @param accessKeyId static credentials, with {@code secretAccessKey}; null: the default chain
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param sessionToken optional session token of temporary credentials
 */
public record AwsOptions(
    String region, URI endpoint, String accessKeyId, String secretAccessKey, String sessionToken) {

  public AwsOptions {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new PackagerException("AWS credentials need both an access key id and a secret key");
    }
    if (endpoint != null
        && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new PackagerException("S3 endpoint '" + endpoint + "' must be an http(s) URL");
    }
  }

  /** Everything from the SDK's default chains. */
  public static AwsOptions defaults() {
    return new AwsOptions(null, null, null, null, null);
  }

  /**
   * Reads {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}), {@code SNAPSERVE_S3_ENDPOINT} and, if
   * both are set, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}
   * from {@code env}; what is missing is left to the default chains.
   */
  public static AwsOptions fromEnv(Map<String, String> env) {
    String region = blankToNull(env.get("AWS_REGION"));
    if (region == null) region = blankToNull(env.get("AWS_DEFAULT_REGION"));
    String endpoint = blankToNull(env.get("SNAPSERVE_S3_ENDPOINT"));
    String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
    String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
    boolean staticKeys = key != null && secret != null;
    URI uri;
    try {
      uri = endpoint == null ? null : URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new PackagerException(
          "SNAPSERVE_S3_ENDPOINT '" + endpoint + "' is not a URL: " + e.getMessage());
    }
    return new AwsOptions(
        region,
        uri,
        staticKeys ? key : null,
        staticKeys ? secret : null,
        staticKeys ? blankToNull(env.get("AWS_SESSION_TOKEN")) : null);
  }

  public AwsOptions withRegion(String newRegion) {
    return new AwsOptions(newRegion, endpoint, accessKeyId, secretAccessKey, sessionToken);
  }

  public AwsOptions withEndpoint(URI newEndpoint) {
    return new AwsOptions(region, newEndpoint, accessKeyId, secretAccessKey, sessionToken);
  }

  @Override
  public String toString() {
    // never print the secret
    return "AwsOptions[region="
        + region
        + ", endpoint="
        + endpoint
        + ", credentials="
        + (accessKeyId == null ? "default chain" : "static " + accessKeyId)
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
