package dev.snapserve.cli;

import dev.snapserve.packager.AwsOptions;
import dev.snapserve.packager.Publisher;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve publish}: a bundle or deployable to S3, or an image tarball to ECR. */
@Command(
    name = "publish",
    description = {
      "Upload a bundle directory or a deployable (zip/tar) to s3://bucket/prefix/NAME/VERSION/",
      "(name and version from its manifest.json), with SHA-256 checksums and multipart uploads",
      "for large files. An existing version is never replaced without --force.",
      "With --ecr: push an image tarball to Amazon ECR.",
      "AWS region and credentials: the SDK's default chains (AWS_REGION, AWS_PROFILE, ...)."
    })
final class PublishCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "BUNDLE_OR_ARTIFACT",
      description = "Bundle dir, zip or tar.")
  Path source;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "S3_URI",
      description = "Destination, s3://bucket/prefix/ (not with --ecr).")
  String destination;

  @Option(
      names = "--ecr",
      paramLabel = "REF",
      description = {
        "Push an image tarball (snapserve image) to ECR instead:",
        "ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG, with Jib and an ECR token (no Docker)."
      })
  String ecr;

  @Option(names = "--force", description = "Replace an existing NAME/VERSION/.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--name", description = "Model name (default: from the manifest).")
  String name;

  @Option(names = "--version", description = "Model version (default: from the manifest).")
  String version;

  @Option(
      names = "--multipart-threshold-mib",
      paramLabel = "MIB",
      description = "Files above this go up in parts (default: 16).")
  long thresholdMib = 16;

  @Option(
      names = "--part-size-mib",
      paramLabel = "MIB",
      description = "Multipart part size, at least 5 (default: 8).")
  long partMib = 8;

  @Option(names = "--region", description = "AWS region (default: the SDK's region chain).")
  String region;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "S3-compatible endpoint (default: SNAPSERVE_S3_ENDPOINT, else AWS).")
  URI endpoint;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  PublishCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() {
    AwsOptions aws = AwsOptions.fromEnv(env);
    if (region != null) aws = aws.withRegion(region);
    if (ecr != null) {
      if (destination != null) {
        throw new IllegalArgumentException("give either an S3 URI or --ecr, not both");
      }
      Publisher.ImageResult r = Publisher.publishImage(source, ecr, aws, new ProgressBars(err));
      if (json) JsonOutput.print(out, r);
      else out.printf("pushed %s to %s (digest %s)%n", r.source(), r.reference(), r.digest());
      return 0;
    }
    if (destination == null) {
      throw new IllegalArgumentException(
          "missing destination: an s3://bucket/prefix/ or --ecr REF");
    }
    if (endpoint != null) aws = aws.withEndpoint(endpoint);
    Publisher.Options options =
        Publisher.Options.defaults()
            .withForce(force)
            .withMultipart(thresholdMib << 20, partMib << 20)
            .withNameVersion(name, version);
    Publisher.Result r =
        Publisher.publish(source, destination, options, aws, new ProgressBars(err));
    if (json) {
      JsonOutput.print(out, r);
      return 0;
    }
    out.printf(
        "published %s@%s to %s (%d objects, %d bytes%s)%n",
        r.name(),
        r.version(),
        r.location(),
        r.objects().size(),
        r.totalBytes(),
        r.replaced() ? ", replaced the existing version" : "");
    for (Publisher.PublishedObject o : r.objects()) {
      out.printf(
          "  %s  %d bytes  sha256 %s%s%n",
          o.key(), o.sizeBytes(), o.sha256(), o.parts() > 1 ? "  (" + o.parts() + " parts)" : "");
    }
    return 0;
  }
}
