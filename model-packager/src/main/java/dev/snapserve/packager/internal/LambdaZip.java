package dev.snapserve.packager.internal;

import dev.snapserve.functions.ModelBundle;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.PackageResult;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.Progress;
import dev.snapserve.packager.RuntimeClasspath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * The AWS Lambda zip for the java21 managed runtime: {@code lib/*.jar} (the runtime puts them on
 * the classpath) and the bundle under {@code model/}, where the handler looks by default ({@code
 * $LAMBDA_TASK_ROOT/model}, i.e. {@code /var/task/model}).
 */
public final class LambdaZip implements Deployable {
  public static final String HANDLER = "dev.snapserve.aws.PredictHandler";
  static final String ADAPTER = "snapserve-aws-lambda";

  /** Lambda's quota for a zip uploaded directly (larger ones must go through S3). */
  public static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

  /** Lambda's quota for a function's unzipped code, layers included. */
  public static final long UNZIPPED_LIMIT = 250L * 1024 * 1024;

  private final long zippedLimit;
  private final long unzippedLimit;

  LambdaZip() {
    this(DIRECT_UPLOAD_LIMIT, UNZIPPED_LIMIT);
  }

  /** With other limits (tests). */
  LambdaZip(long zippedLimit, long unzippedLimit) {
    this.zippedLimit = zippedLimit;
    this.unzippedLimit = unzippedLimit;
  }

  @Override
  public String artifactName(PackageRequest r) {
    return Deployable.baseName(r, "lambda-" + r.arch().id()) + ".zip";
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public Built build(Context c, Path tmp) throws IOException {
    List<RuntimeJars.Jar> jars =
        RuntimeJars.prepare(
            RuntimeClasspath.of(ADAPTER),
            c.request().arch(),
            c.workDir().resolve("lib"),
            c.request().timestamp(),
            null);
    TreeMap<String, Path> files = new TreeMap<>();
    for (RuntimeJars.Jar jar : jars) files.put("lib/" + jar.fileName(), jar.file());
    files.put(
        "model/" + ModelBundle.MANIFEST_FILE, c.bundleDir().resolve(ModelBundle.MANIFEST_FILE));
    String model = c.manifest().model().file();
    files.put("model/" + model, c.bundleDir().resolve(model));
    long total = 0;
    SequencedMap<String, ReproducibleZip.Content> entries = new LinkedHashMap<>();
    for (var e : files.entrySet()) {
      total += Files.size(e.getValue());
      entries.put(e.getKey(), ReproducibleZip.Content.of(e.getValue()));
    }
    long unzipped;
    try (Progress.Task task = c.progress().begin("lambda zip", total / (1 << 20), "MB");
        OutputStream out = Files.newOutputStream(tmp)) {
      unzipped =
          ReproducibleZip.write(out, entries, c.request().timestamp(), n -> task.stepTo(n >> 20));
    }
    long zipped = Files.size(tmp);
    check("unzipped", unzipped, unzippedLimit, "Lambda's limit for unzipped code");
    PackageResult.Limit unzippedLimitUse =
        new PackageResult.Limit("unzipped", unzipped, unzippedLimit);
    if (c.request().viaS3()) {
      return new Built(zipped, unzipped, HANDLER, deployCommand(c), List.of(unzippedLimitUse));
    }
    check("zipped", zipped, zippedLimit, "Lambda's limit for a directly uploaded zip");
    return new Built(
        zipped,
        unzipped,
        HANDLER,
        deployCommand(c),
        List.of(
            new PackageResult.Limit("zipped (direct upload)", zipped, zippedLimit),
            unzippedLimitUse));
  }

  private static void check(String what, long bytes, long limit, String name) {
    if (bytes > limit) {
      throw new PackagerException(
          String.format(
              Locale.ROOT,
              "the Lambda zip is %.1f MB %s, above %s (%.1f MB); use a smaller model (--optimize,"
                  + " --quantize)%s or the endpoint target",
              bytes / 1048576.0,
              what,
              name,
              limit / 1048576.0,
              what.equals("zipped") ? ", upload it through S3 (--via-s3)" : ""));
    }
  }

  private static String deployCommand(Context c) {
    PackageRequest r = c.request();
    return "aws lambda create-function --function-name "
        + Deployable.functionName(r)
        + " --runtime java21 --architectures "
        + r.arch().id()
        + " --handler "
        + HANDLER
        + " --memory-size 2048 --timeout 30 --snap-start ApplyOn=PublishedVersions"
        + " --role ROLE_ARN"
        + (r.viaS3()
            ? " --code S3Bucket=BUCKET,S3Key=KEY   # after: aws s3 cp "
                + c.artifact()
                + " s3://BUCKET/KEY"
            : " --zip-file fileb://" + c.artifact());
  }
}
