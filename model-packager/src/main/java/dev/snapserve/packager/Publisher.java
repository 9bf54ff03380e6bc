package dev.snapserve.packager;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.S3Uri;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.packager.internal.Archives;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.AwsClients;
import dev.snapserve.packager.internal.EcrPush;
import dev.snapserve.packager.internal.S3Upload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Publishes a bundle directory or a deployable archive to S3 under {@code prefix/NAME/VERSION/...},
 * where name and version come from the bundle's manifest. An existing version is never overwritten
 * unless {@link Options#force}. Every object is sent with its SHA-256 checksum; files above {@link
 * Options#multipartThresholdBytes} go up in parts.
 */
public final class Publisher {
  /** S3's smallest part (except the last). */
  public static final long MIN_PART_BYTES = 5L * 1024 * 1024;

  private Publisher() {}

  /**
   * @param force replace an existing {@code NAME/VERSION/} (objects not in the new upload are
   *     deleted)
   * @param multipartThresholdBytes files larger than this go up as multipart uploads (default 16
   *     MiB)
   * @param partSizeBytes multipart part size, at least 5 MiB (default 8 MiB)
   * @param name overrides the manifest's name (needed for archives without a snapserve manifest)
   * @param version overrides the manifest's version
   */
  public record Options(
      boolean force,
      long multipartThresholdBytes,
      long partSizeBytes,
      String name,
      String version) {
    public Options {
      if (multipartThresholdBytes < 0) {
        throw new PackagerException("multipart threshold must be >= 0");
      }
      if (partSizeBytes < MIN_PART_BYTES) {
        throw new PackagerException(
            "multipart part size must be at least 5 MiB (S3's minimum), got " + partSizeBytes);
      }
    }

    public static Options defaults() {
      return new Options(false, 16L * 1024 * 1024, 8L * 1024 * 1024, null, null);
    }

    public Options withForce(boolean newForce) {
      return new Options(newForce, multipartThresholdBytes, partSizeBytes, name, version);
    }

    public Options withMultipart(long threshold, long partSize) {
      return new Options(force, threshold, partSize, name, version);
    }

    public Options withNameVersion(String newName, String newVersion) {
      return new Options(force, multipartThresholdBytes, partSizeBytes, newName, newVersion);
    }
  }

  /** One uploaded object. {@code parts} is 1 for a single PUT. */
  public record PublishedObject(String key, long sizeBytes, String sha256, int parts) {}

  /**
   * @param location {@code s3://bucket/prefix/NAME/VERSION/}
   * @param replaced an existing version was overwritten ({@code --force})
   */
  public record Result(
      String source,
      String location,
      String name,
      String version,
      List<PublishedObject> objects,
      long totalBytes,
      boolean replaced) {}

  /** Publishes {@code source} (bundle directory, zip or tar) to {@code s3Uri}. */
  public static Result publish(
      Path source, String s3Uri, Options options, AwsOptions aws, Progress progress) {
    S3Uri base = parse(s3Uri);
    try (S3Client s3 = AwsClients.s3(aws)) {
      return publish(s3, source, base, options, progress);
    }
  }

  /**
   * @param reference the pushed image, {@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG}
   * @param digest the image manifest's digest in the registry
   */
  public record ImageResult(String source, String reference, String digest, String imageId) {}

  /**
   * Pushes an image tarball ({@code docker save} layout, as {@code snapserve image} writes it) to
   * ECR with Jib, authenticated with an ECR authorization token from the AWS SDK: no Docker daemon,
   * no {@code docker login}.
   */
  public static ImageResult publishImage(
      Path imageTar, String ecrReference, AwsOptions aws, Progress progress) {
    EcrPush.EcrReference ref = EcrPush.parse(ecrReference);
    checkImageTar(imageTar);
    Credential credential;
    try (EcrClient ecr = AwsClients.ecr(aws, ref.region())) {
      credential = EcrPush.fetchCredential(ecr, ref);
    } catch (SdkException e) {
      throw new PackagerException(
          "cannot get an ECR authorization token for " + ref.registry() + ": " + e.getMessage(), e);
    }
    try (Progress.Task task = progress.begin("push " + ref, 100, "%")) {
      JibContainer pushed =
          EcrPush.push(imageTar, EcrPush.containerizer(ref, EcrPush.retriever(credential)), task);
      return new ImageResult(
          imageTar.toString(),
          ref.toString(),
          pushed.getDigest().toString(),
          pushed.getImageId().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagerException("push to " + ref + " was interrupted", e);
    } catch (ExecutionException
        | RegistryException
        | IOException
        | CacheDirectoryCreationException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new PackagerException(
          "cannot push " + imageTar + " to " + ref + ": " + cause.getMessage(), e);
    }
  }

  private static void checkImageTar(Path imageTar) {
    Archives.Kind kind;
    try {
      kind = Files.isRegularFile(imageTar) ? Archives.kindOf(imageTar) : null;
    } catch (IOException e) {
      throw new PackagerException("cannot read " + imageTar + ": " + e.getMessage(), e);
    }
    if (kind != Archives.Kind.TAR) {
      throw new PackagerException(
          imageTar
              + " is not an image tarball (a tar in docker save layout, as snapserve image writes)");
    }
    Archives.readManifest(imageTar, kind); // refuses unsafe entry names before Jib reads it
  }

  /** Parses an {@code s3://bucket/prefix/} destination, as a {@link PackagerException}. */
  public static S3Uri parse(String s3Uri) {
    try {
      return S3Uri.parse(s3Uri);
    } catch (IllegalArgumentException e) {
      throw new PackagerException(e.getMessage(), e);
    }
  }

  static Result publish(S3Client s3, Path source, S3Uri base, Options options, Progress progress) {
    Plan plan = plan(source, options);
    S3Uri target = base.resolve(plan.name, plan.version);
    try {
      checkBucket(s3, target);
      List<String> existing = list(s3, target);
      if (!existing.isEmpty() && !options.force()) {
        throw new PackagerException(
            target
                + " already exists ("
                + existing.size()
                + " objects); pass --force to replace it");
      }
      long total = 0;
      for (Path f : plan.files) total += AtomicFiles.size(f);
      List<PublishedObject> objects = new ArrayList<>();
      try (Progress.Task task =
          progress.begin("publish " + plan.name + "@" + plan.version, kib(total), "KiB")) {
        long before = 0;
        for (Path file : plan.files) {
          long offset = before;
          String key = target.key(plan.root.relativize(file).toString().replace('\\', '/'));
          S3Upload.Uploaded u =
              S3Upload.upload(
                  s3,
                  target.bucket(),
                  key,
                  file,
                  options.multipartThresholdBytes(),
                  options.partSizeBytes(),
                  sent -> task.stepTo(kib(offset + sent)));
          objects.add(new PublishedObject(u.key(), u.sizeBytes(), u.sha256(), u.parts()));
          before += u.sizeBytes();
        }
      }
      deleteStale(s3, target, existing, objects);
      return new Result(
          source.toString(),
          target.toString(),
          plan.name,
          plan.version,
          objects,
          total,
          !existing.isEmpty());
    } catch (NoSuchBucketException e) {
      throw noBucket(target);
    } catch (S3Exception e) {
      throw new PackagerException(
          "S3 refused "
              + target
              + ": "
              + e.statusCode()
              + " "
              + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode()),
          e);
    } catch (SdkClientException e) {
      throw new PackagerException("cannot publish to " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * What to upload: files under a root, in order (the manifest of a bundle last), under a name and
   * version that are each one key segment.
   */
  private record Plan(String name, String version, Path root, List<Path> files) {
    Plan {
      checkSegment("name", name);
      checkSegment("version", version);
    }
  }

  private static Plan plan(Path source, Options options) {
    if (Files.isDirectory(source)) {
      Manifest m;
      try {
        m = ModelBundle.load(source).manifest(); // verifies the model's SHA-256 first
      } catch (SnapserveException e) {
        throw new PackagerException("not a publishable bundle: " + e.getMessage(), e);
      }
      List<Path> files = bundleFiles(source);
      String name = or(options.name(), m.name());
      String version = or(options.version(), m.version());
      return new Plan(name, version, source, files);
    }
    if (!Files.isRegularFile(source)) {
      throw new PackagerException(source + " does not exist");
    }
    Archives.Kind kind;
    try {
      kind = Archives.kindOf(source);
    } catch (IOException e) {
      throw new PackagerException("cannot read " + source + ": " + e.getMessage(), e);
    }
    if (kind == null) {
      throw new PackagerException(
          source + " is neither a bundle directory nor a zip or tar archive");
    }
    Manifest m = Archives.readManifest(source, kind);
    String name = or(options.name(), m == null ? null : m.name());
    String version = or(options.version(), m == null ? null : m.version());
    if (name == null || version == null) {
      throw new PackagerException(
          source + " holds no snapserve manifest.json; pass --name and --version");
    }
    return new Plan(name, version, source.toAbsolutePath().getParent(), List.of(source));
  }

  private static List<Path> bundleFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      // dot files are temporaries (AtomicFiles) or editor droppings, never part of a bundle
      List<Path> files =
          walk.filter(Files::isRegularFile)
              .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == '\\'))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted(
                  Comparator.comparing(
                          (Path p) -> p.getFileName().toString().equals(ModelBundle.MANIFEST_FILE))
                      .thenComparing(Path::toString))
              .toList();
      return files;
    } catch (IOException e) {
      throw new PackagerException("cannot list bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkBucket(S3Client s3, S3Uri target) {
    try {
      s3.headBucket(b -> b.bucket(target.bucket()));
    } catch (NoSuchBucketException e) {
      throw noBucket(target);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) throw noBucket(target);
      if (e.statusCode() == 403) {
        throw new PackagerException(
            "access to bucket '" + target.bucket() + "' is denied for these credentials", e);
      }
      throw e;
    }
  }

  private static List<String> list(S3Client s3, S3Uri target) {
    List<String> keys = new ArrayList<>();
    s3
        .listObjectsV2Paginator(b -> b.bucket(target.bucket()).prefix(target.prefix()))
        .contents()
        .stream()
        .map(S3Object::key)
        .forEach(keys::add);
    return keys;
  }

  /** With --force: objects of the replaced version that the new one does not have. */
  private static void deleteStale(
      S3Client s3, S3Uri target, List<String> existing, List<PublishedObject> uploaded) {
    Set<String> keep = new HashSet<>();
    for (PublishedObject o : uploaded) keep.add(o.key());
    for (String key : existing) {
      if (!keep.contains(key)) s3.deleteObject(b -> b.bucket(target.bucket()).key(key));
    }
  }

  private static PackagerException noBucket(S3Uri target) {
    return new PackagerException(
        "bucket '" + target.bucket() + "' does not exist (publishing to " + target + ")");
  }

  private static void checkSegment(String what, String value) {
    if (!value.matches(Manifest.NAME_PATTERN)) {
      throw new PackagerException(
          "model " + what + " '" + value + "' must match " + Manifest.NAME_PATTERN);
    }
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }

  private static long kib(long bytes) {
    return (bytes + 1023) / 1024;
  }
}
