package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsOptionsTest {
  @Test
  void readsRegionEndpointAndStaticKeysFromTheEnvironmentMap() {
    AwsOptions o =
        AwsOptions.fromEnv(
            Map.of(
                "AWS_DEFAULT_REGION", "eu-west-1",
                "SNAPSERVE_S3_ENDPOINT", "http://127.0.0.1:9000",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "token"));
    assertThat(o.region()).isEqualTo("eu-west-1");
    assertThat(o.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(o.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(o.sessionToken()).isEqualTo("token");
    // the secret never reaches logs or --json
    assertThat(o.toString()).doesNotContain("secret").doesNotContain("token");
  }

  @Test
  void aLoneKeyIdLeavesCredentialsToTheDefaultChain() {
    AwsOptions o = AwsOptions.fromEnv(Map.of("AWS_REGION", "us-east-2", "AWS_ACCESS_KEY_ID", "x"));
    assertThat(o.region()).isEqualTo("us-east-2");
    assertThat(o.accessKeyId()).isNull();
    assertThat(o.endpoint()).isNull();
  }

  @Test
  void refusesEndpointsThatAreNotHttpUrls() {
    assertThatThrownBy(() -> AwsOptions.fromEnv(Map.of("SNAPSERVE_S3_ENDPOINT", "s3.local:9000")))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("must be an http(s) URL");
    assertThatThrownBy(() -> AwsOptions.fromEnv(Map.of("SNAPSERVE_S3_ENDPOINT", "http://a b")))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("SNAPSERVE_S3_ENDPOINT 'http://a b' is not a URL");
  }
}
