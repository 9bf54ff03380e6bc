package dev.snapserve.packager;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.packager.EndpointImageRequest.Jre;
import dev.snapserve.packager.EndpointImageResult.Layer;
import dev.snapserve.packager.internal.AtomicFiles;
import dev.snapserve.packager.internal.EcrPush;
import dev.snapserve.packager.internal.Jlink;
import dev.snapserve.packager.internal.RuntimeJars;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * {@code package --target endpoint}: an OCI image tarball of the endpoint server serving one
 * bundle, built with Jib (no Docker daemon). Layers, bottom to top, ordered by how often they
 * change: the Java runtime, the dependency jars, ONNX Runtime (its native library for the image's
 * architecture only), snapserve's own jars, the bundle at {@value #MODEL_DIR}.
 *
 * <p>SageMaker's container contract: {@code docker run IMAGE serve} starts the server on port 8080
 * (or {@code SAGEMAKER_BIND_TO_PORT}, which the image's label allows), answering {@code /ping} and
 * {@code /invocations}. Reproducible: Jib fixes the creation and file times, so the same inputs
 * give a byte-identical tarball.
 */
public final class EndpointImage {
  /** Where the bundle goes: SageMaker's model directory. */
  public static final String MODEL_DIR = "/opt/ml/model";

  /** Where a jlink'd runtime goes. */
  public static final String JRE_DIR = "/opt/java/jre";

  /** Where the jars go. */
  public static final String LIB_DIR = "/opt/snapserve/lib";

  /** The server's port inside the container (SageMaker's). */
  public static final int PORT = 8080;

  static final String SERVER_ARTIFACT = "snapserve-endpoint-server";
  static final String MAIN_CLASS = "dev.snapserve.server.Serve";
  static final String BIND_TO_PORT_LABEL =
      "com.amazonaws.sagemaker.capabilities.accept-bind-to-port";

  private EndpointImage() {}

  /** Builds the image tarball; the output is written atomically. */
  public static EndpointImageResult build(EndpointImageRequest request, Progress progress) {
    Path bundleDir = request.bundle();
    // everything that can be wrong with the request fails before the long steps
    Manifest manifest = loadBundle(bundleDir);
    checkOutput(request.output(), bundleDir);
    AtomicFiles.checkCanWrite(request.output(), request.force());
    ImageReference image = imageReference(request, manifest);
    JibContainerBuilder builder = base(request.baseImage());
    if (request.jre() instanceof Jre.Jlink jlink) Jlink.check(jlink.jdk(), request.arch());
    // resolved now, so missing jars fail before jlink
    RuntimeClasspath server = RuntimeClasspath.of(SERVER_ARTIFACT);
    Path work = null;
    try {
      work = Files.createTempDirectory("snapserve-image");
      List<Layer> layers = new ArrayList<>();
      String java;
      if (request.jre() instanceof Jre.Jlink jlink) {
        Path runtime = work.resolve("jre");
        try (Progress.Task t = progress.begin("jlink", -1, "")) {
          Jlink.link(jlink.jdk(), jlink.modules(), request.arch(), runtime);
        }
        layers.add(addTree(builder, "jre", runtime, JRE_DIR, true));
        java = JRE_DIR + "/bin/java";
      } else {
        java = ((Jre.FromBase) request.jre()).java();
      }
      List<String> classpathInImage = addJars(builder, server, request, work, layers);
      layers.add(addTree(builder, "model", bundleDir, MODEL_DIR, false));

      Map<String, String> env = new LinkedHashMap<>();
      env.put("SNAPSERVE_HOST", "0.0.0.0");
      env.put("SNAPSERVE_BUNDLES", MODEL_DIR);
      // ONNX Runtime's telemetry reads /etc/machine-id, which minimal images lack, and crashed
      env.put("ORT_DISABLE_TELEMETRY", "1");
      List<String> entrypoint =
          List.of(
              java,
              // the JVM default (25% of the container's memory) starves a model server
              "-XX:MaxRAMPercentage=75",
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              String.join(":", classpathInImage),
              MAIN_CLASS);
      List<String> cmd = List.of("serve");
      builder
          .setEntrypoint(entrypoint)
          .setProgramArguments(cmd)
          .setEnvironment(env)
          .addLabel(BIND_TO_PORT_LABEL, "true")
          .addLabel("org.opencontainers.image.title", manifest.name())
          .addLabel("org.opencontainers.image.version", manifest.version())
          .addExposedPort(Port.tcp(PORT))
          .setCreationTime(Instant.EPOCH)
          .setPlatforms(Set.of(new Platform(request.arch().oci(), "linux")));

      Path cache = work.resolve("jib-application-cache");
      JibContainer[] built = new JibContainer[1];
      try (Progress.Task task = progress.begin("image", 100, "%")) {
        AtomicFiles.write(
            request.output(),
            request.force(),
            tmp ->
                built[0] =
                    containerize(
                        builder, TarImage.at(tmp).named(image), cache, task, request.baseImage()));
      }
      return new EndpointImageResult(
          request.output(),
          image.toString(),
          built[0].getDigest().toString(),
          built[0].getImageId().toString(),
          request.arch(),
          request.baseImage(),
          Files.size(request.output()),
          layers,
          entrypoint,
          cmd,
          env);
    } catch (IOException e) {
      throw new PackagerException("cannot build " + request.output() + ": " + e.getMessage(), e);
    } finally {
      if (work != null) AtomicFiles.deleteTree(work);
    }
  }

  /** What the CLI prints: the image, its layers, and how to push it to ECR. */
  public static String summary(EndpointImageResult r) {
    StringBuilder s = new StringBuilder();
    String tar = r.output().toString();
    s.append(
        String.format(
            Locale.ROOT, "wrote %s (%s, linux/%s)%n", tar, mb(r.sizeBytes()), r.arch().oci()));
    s.append(String.format(Locale.ROOT, "  image   %s%n", r.image()));
    s.append(String.format(Locale.ROOT, "  digest  %s%n", r.digest()));
    s.append(String.format(Locale.ROOT, "  base    %s%n", r.baseImage()));
    s.append("  layers ");
    for (Layer l : r.layers()) {
      s.append(
          String.format(
              Locale.ROOT, " %s %s (%d files);", l.name(), mb(l.contentBytes()), l.files()));
    }
    s.setLength(s.length() - 1);
    s.append(System.lineSeparator());
    s.append(
        String.format(
            Locale.ROOT,
            "run it:  docker load -i %s && docker run --rm -p %d:%d %s serve%n",
            tar,
            PORT,
            PORT,
            r.image()));
    s.append(
        String.format(
            Locale.ROOT,
            "push it to ECR (no Docker needed):%n"
                + "  snapserve publish %s --ecr ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG%n"
                + "or with crane or docker:%n"
                + "  aws ecr get-login-password --region REGION | crane auth login"
                + " ACCOUNT.dkr.ecr.REGION.amazonaws.com -u AWS --password-stdin%n"
                + "  crane push %s ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG%n"
                + "  docker load -i %s && docker tag %s ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG"
                + " && docker push ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG%n",
            tar,
            tar,
            tar,
            r.image()));
    return s.toString();
  }

  private static Manifest loadBundle(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new PackagerException(
          dir
              + " is not a bundle directory (expected "
              + ModelBundle.MANIFEST_FILE
              + " and the model)");
    }
    try {
      return ModelBundle.load(dir).manifest();
    } catch (SnapserveException e) {
      throw new PackagerException(e.getMessage(), e);
    }
  }

  private static void checkOutput(Path output, Path bundleDir) {
    AtomicFiles.checkNotInput(output, bundleDir);
    if (output.toAbsolutePath().normalize().startsWith(bundleDir.toAbsolutePath().normalize())) {
      throw new PackagerException(
          "output "
              + output
              + " is inside the bundle directory "
              + bundleDir
              + "; write it elsewhere");
    }
  }

  private static ImageReference imageReference(EndpointImageRequest request, Manifest manifest) {
    String ref = request.image();
    if (ref == null || ref.isBlank()) {
      // model names allow upper case and runs of . _ - that OCI repository names do not
      String repository =
          manifest.name().toLowerCase(Locale.ROOT).replaceAll("[._-]+", "-").replaceAll("-$", "");
      ref = "snapserve/" + repository + ":" + manifest.version();
    }
    try {
      return ImageReference.parse(ref);
    } catch (InvalidImageReferenceException e) {
      throw new PackagerException(
          "'" + ref + "' is not a valid image reference (REPOSITORY[:TAG], lowercase repository)",
          e);
    }
  }

  private static JibContainerBuilder base(String base) {
    if (base.equals("scratch")) return Jib.fromScratch();
    if (base.startsWith(Jib.TAR_IMAGE_PREFIX)) {
      Path tar = Path.of(base.substring(Jib.TAR_IMAGE_PREFIX.length()));
      if (!Files.isRegularFile(tar)) {
        throw new PackagerException("base image tarball " + tar + " does not exist");
      }
      return Jib.from(TarImage.at(tar));
    }
    try {
      return Jib.from(base);
    } catch (InvalidImageReferenceException e) {
      throw new PackagerException(
          "base image '" + base + "' is not a valid reference (or tar://PATH, or scratch)", e);
    }
  }

  /**
   * Dependency jars, then ONNX Runtime (stripped), then snapserve's jars; returns the classpath.
   */
  private static List<String> addJars(
      JibContainerBuilder builder,
      RuntimeClasspath server,
      EndpointImageRequest request,
      Path work,
      List<Layer> layers)
      throws IOException {
    FileEntriesLayer.Builder deps = FileEntriesLayer.builder().setName("dependencies");
    FileEntriesLayer.Builder ort = FileEntriesLayer.builder().setName("onnxruntime");
    FileEntriesLayer.Builder app = FileEntriesLayer.builder().setName("app");
    long[] bytes = new long[3];
    int[] files = new int[3];
    List<String> inImage = new ArrayList<>();
    // Jib fixes every file time in the image itself; the jars' entry times only need to be fixed
    for (RuntimeJars.Jar jar :
        RuntimeJars.prepare(
            server,
            request.arch().packageArch(),
            work.resolve("jars"),
            PackageRequest.DEFAULT_TIMESTAMP,
            null)) {
      String name = jar.fileName();
      Path source = jar.file();
      int kind = RuntimeJars.isOnnxRuntime(name) ? 1 : name.startsWith("snapserve-") ? 2 : 0;
      AbsoluteUnixPath target = AbsoluteUnixPath.get(LIB_DIR + "/" + name);
      (kind == 0 ? deps : kind == 1 ? ort : app).addEntry(source, target);
      bytes[kind] += Files.size(source);
      files[kind]++;
      inImage.add(target.toString());
    }
    builder.addFileEntriesLayer(deps.build());
    builder.addFileEntriesLayer(ort.build());
    builder.addFileEntriesLayer(app.build());
    layers.add(new Layer("dependencies", files[0], bytes[0]));
    layers.add(new Layer("onnxruntime", files[1], bytes[1]));
    layers.add(new Layer("app", files[2], bytes[2]));
    return inImage;
  }

  /**
   * Adds every regular file under {@code dir} (links followed) at {@code target}; {@code keepModes}
   * keeps the files' permissions (executables in a runtime), else 644.
   */
  private static Layer addTree(
      JibContainerBuilder builder, String name, Path dir, String target, boolean keepModes)
      throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long bytes = 0;
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      AbsoluteUnixPath to = AbsoluteUnixPath.get(target + "/" + rel);
      FilePermissions mode =
          keepModes
              ? FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(f))
              : FilePermissions.DEFAULT_FILE_PERMISSIONS;
      layer.addEntry(f, to, mode);
      bytes += Files.size(f);
    }
    builder.addFileEntriesLayer(layer.build());
    return new Layer(name, files.size(), bytes);
  }

  private static JibContainer containerize(
      JibContainerBuilder builder, TarImage target, Path cache, Progress.Task task, String base)
      throws IOException {
    Containerizer containerizer =
        Containerizer.to(target)
            .setToolName("snapserve")
            .setApplicationLayersCache(cache)
            .addEventHandler(ProgressEvent.class, EcrPush.percentDone(task));
    try {
      return builder.containerize(containerizer);
    } catch (RegistryException e) {
      throw new PackagerException(
          "cannot pull base image " + base + ": " + e.getMessage() + " (offline? use tar://PATH)",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      boolean network = cause instanceof UnknownHostException || cause instanceof ConnectException;
      throw new PackagerException(
          "building the image on "
              + base
              + " failed: "
              + cause.getMessage()
              + (network
                  ? " (registry unreachable: pass a local base as tar://PATH, or scratch)"
                  : ""),
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagerException("interrupted while building the image", e);
    } catch (CacheDirectoryCreationException e) {
      throw new PackagerException("cannot create Jib's cache directory: " + e.getMessage(), e);
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
