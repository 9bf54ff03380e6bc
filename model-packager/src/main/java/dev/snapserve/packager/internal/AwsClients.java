package dev.snapserve.packager.internal;

import dev.snapserve.packager.AwsOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds SDK clients from {@link AwsOptions}, all over the JDK's HttpURLConnection. */
public final class AwsClients {
  private AwsClients() {}

  public static S3Client s3(AwsOptions options) {
    var b =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(credentials(options));
    if (options.region() != null) b.region(Region.of(options.region()));
    if (options.endpoint() != null) {
      // S3-compatible stores are addressed by path: http://host:port/bucket/key
      b.endpointOverride(options.endpoint()).forcePathStyle(true);
      if (options.region() == null) b.region(Region.US_EAST_1);
    }
    return b.build();
  }

  public static EcrClient ecr(AwsOptions options, String region) {
    return EcrClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(credentials(options))
        .region(Region.of(region))
        .build();
  }

  static AwsCredentialsProvider credentials(AwsOptions options) {
    if (options.accessKeyId() == null) return DefaultCredentialsProvider.builder().build();
    return StaticCredentialsProvider.create(
        options.sessionToken() == null
            ? AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey())
            : AwsSessionCredentials.create(
                options.accessKeyId(), options.secretAccessKey(), options.sessionToken()));
  }
}
