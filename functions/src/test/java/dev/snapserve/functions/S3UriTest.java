package dev.snapserve.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3UriTest {
  @Test
  void parsesBucketAndNormalizesThePrefix() {
    S3Uri uri = S3Uri.parse("s3://my-models/team/prod");
    assertThat(uri.bucket()).isEqualTo("my-models");
    assertThat(uri.prefix()).isEqualTo("team/prod/");
    assertThat(uri.key("digits/1/manifest.json")).isEqualTo("team/prod/digits/1/manifest.json");
    assertThat(uri.resolve("digits", "1")).hasToString("s3://my-models/team/prod/digits/1/");
  }

  @Test
  void aBucketAloneHasAnEmptyPrefix() {
    assertThat(S3Uri.parse("s3://models").prefix()).isEmpty();
    assertThat(S3Uri.parse("s3://models/").prefix()).isEmpty();
    assertThat(S3Uri.parse("s3://models/")).hasToString("s3://models/");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://bucket/prefix/|is not an S3 URI",
        "s3:/bucket/prefix|is not an S3 URI",
        "s3:///prefix|has no bucket",
        "s3://My_Bucket/x|bucket name 'My_Bucket' is invalid",
        "s3://ab/x|bucket name 'ab' is invalid",
        "s3://bucket-/x|bucket name 'bucket-' is invalid",
        "s3://a..b/x|bucket name 'a..b' is invalid",
        "s3://192.168.1.1/x|must not be an IP address",
        "s3://bucket//x|must not start with /",
        "s3://bucket/a//b|empty, '.' or '..' segment",
        "s3://bucket/a/../b|empty, '.' or '..' segment",
        "s3://bucket/x?versionId=1|no query",
      })
  void malformedUrisAreRefusedNamingTheInput(String input, String message) {
    assertThatThrownBy(() -> S3Uri.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
