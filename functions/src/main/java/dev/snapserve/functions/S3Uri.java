package dev.snapserve.functions;

import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix/} location, parsed and validated without any cloud SDK: the packager
 * publishes to one and the Lambda adapter loads a bundle from one.
 *
 * @param bucket the bucket name (S3's general-purpose naming rules)
 * @param prefix the key prefix: empty, or ending with {@code /}; never starting with {@code /}
 */
public record S3Uri(String bucket, String prefix) {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  public S3Uri {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException(
          "S3 bucket name '"
              + bucket
              + "' is invalid: 3-63 lower-case letters, digits, dots and hyphens, starting and"
              + " ending with a letter or digit");
    }
    if (IP_ADDRESS.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "S3 bucket name '" + bucket + "' must not be an IP address");
    }
    if (prefix == null) prefix = "";
    if (prefix.startsWith("/")) {
      throw new IllegalArgumentException("S3 key prefix '" + prefix + "' must not start with /");
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix = prefix + "/";
    for (String segment : prefix.split("/")) {
      if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && !prefix.isEmpty())) {
        throw new IllegalArgumentException(
            "S3 key prefix '" + prefix + "' has an empty, '.' or '..' segment");
      }
    }
  }

  /**
   * Parses {@code s3://bucket} or {@code s3://bucket/some/prefix[/]}; the prefix is normalized to
   * end with {@code /}. Anything else is an {@link IllegalArgumentException} naming the input.
   */
  public static S3Uri parse(String uri) {
    if (uri == null || !uri.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "'" + uri + "' is not an S3 URI: expected s3://bucket/prefix/");
    }
    String rest = uri.substring("s3://".length());
    if (rest.contains("?") || rest.contains("#") || rest.contains("\\") || rest.contains(" ")) {
      throw new IllegalArgumentException(
          "'" + uri + "' is not an S3 URI: no query, fragment, backslash or space allowed");
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + uri + "' has no bucket: expected s3://bucket/prefix/");
    }
    try {
      return new S3Uri(bucket, prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': " + e.getMessage(), e);
    }
  }

  /** The key of {@code relative} under this prefix. */
  public String key(String relative) {
    return prefix + relative;
  }

  /** This location extended by {@code segments}, each a plain name. */
  public S3Uri resolve(String... segments) {
    StringBuilder p = new StringBuilder(prefix);
    for (String s : segments) p.append(s).append('/');
    return new S3Uri(bucket, p.toString());
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
