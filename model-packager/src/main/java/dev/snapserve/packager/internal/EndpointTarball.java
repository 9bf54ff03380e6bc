package dev.snapserve.packager.internal;

import dev.snapserve.packager.EndpointImage;
import dev.snapserve.packager.EndpointImageRequest;
import dev.snapserve.packager.EndpointImageResult;
import dev.snapserve.packager.PackageRequest;
import java.nio.file.Path;
import java.util.List;

/** The endpoint target: the {@link EndpointImage} tarball of the endpoint server and the bundle. */
public final class EndpointTarball implements Deployable {
  @Override
  public String artifactName(PackageRequest r) {
    return Deployable.baseName(r, "endpoint-" + r.arch().id()) + ".tar";
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public Built build(Context c, Path tmp) {
    PackageRequest r = c.request();
    // tmp already exists (the packager's temporary file): the image replaces it, atomically
    EndpointImageRequest request =
        EndpointImageRequest.of(c.bundleDir(), tmp)
            .withArch(EndpointImageRequest.Arch.of(r.arch()))
            .withBaseImage(r.baseImage())
            .withForce(true);
    EndpointImageResult image = EndpointImage.build(request, c.progress());
    long unpacked = 0;
    for (EndpointImageResult.Layer layer : image.layers()) unpacked += layer.contentBytes();
    String push =
        "snapserve publish "
            + c.artifact()
            + " --ecr ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG   # image "
            + image.image()
            + ", digest "
            + image.digest();
    return new Built(
        image.sizeBytes(), unpacked, String.join(" ", image.entrypoint()), push, List.of());
  }
}
