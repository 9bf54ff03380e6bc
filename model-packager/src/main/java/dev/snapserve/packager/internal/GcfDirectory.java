package dev.snapserve.packager.internal;

import dev.snapserve.functions.ModelBundle;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.Progress;
import dev.snapserve.packager.RuntimeClasspath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Cloud Functions (gen2, java21) source directory holding a prebuilt jar: the adapter jar at the
 * top, whose manifest {@code Class-Path} names its dependencies under {@code lib/} (what Cloud
 * Functions requires of a prebuilt jar that is not a fat jar), and the bundle under {@code model/},
 * where the function looks by default (relative to the working directory, the source root).
 */
public final class GcfDirectory implements Deployable {
  public static final String ENTRY_POINT = "dev.snapserve.gcp.PredictFunction";
  static final String ADAPTER = "snapserve-gcp-functions";

  @Override
  public String artifactName(PackageRequest r) {
    return Deployable.baseName(r, "gcf");
  }

  @Override
  public boolean isDirectory() {
    return true;
  }

  @Override
  public void check(PackageRequest r) {
    if (r.arch() != PackageRequest.Arch.X86_64) {
      throw new PackagerException(
          "Cloud Functions runs on x86_64 only; drop --arch " + r.arch().id());
    }
  }

  @Override
  public Built build(Context c, Path tmp) throws IOException {
    List<RuntimeJars.Jar> jars;
    try (Progress.Task task = c.progress().begin("gcf jars", -1, "jars")) {
      jars =
          RuntimeJars.prepare(
              RuntimeClasspath.of(ADAPTER),
              c.request().arch(),
              tmp.resolve("lib"),
              c.request().timestamp(),
              "lib/");
    }
    // the adapter jar sits at the top of the source; its dependencies stay in lib/
    RuntimeJars.Jar adapter = jars.getFirst();
    Files.move(adapter.file(), tmp.resolve(adapter.fileName()));
    for (RuntimeJars.Jar jar : jars.subList(1, jars.size())) {
      Path target = tmp.resolve("lib").resolve(jar.fileName());
      if (!jar.file().equals(target)) Files.copy(jar.file(), target);
    }
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.copy(
        c.bundleDir().resolve(ModelBundle.MANIFEST_FILE), model.resolve(ModelBundle.MANIFEST_FILE));
    String file = c.manifest().model().file();
    Files.copy(c.bundleDir().resolve(file), model.resolve(file));
    long bytes = AtomicFiles.sizeOfTree(tmp);
    return new Built(bytes, bytes, ENTRY_POINT, deployCommand(c), List.of());
  }

  private static String deployCommand(Context c) {
    return "gcloud functions deploy "
        + Deployable.functionName(c.request())
        + " --gen2 --runtime java21 --entry-point "
        + ENTRY_POINT
        + " --source "
        + c.artifact()
        + " --trigger-http --memory 1Gi";
  }
}
