package dev.snapserve.cli;

import dev.snapserve.packager.EndpointImage;
import dev.snapserve.packager.EndpointImageRequest;
import dev.snapserve.packager.EndpointImageRequest.Arch;
import dev.snapserve.packager.EndpointImageRequest.Jre;
import dev.snapserve.packager.EndpointImageResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapserve image}: a bundle as an endpoint server image tarball (no Docker daemon). */
@Command(
    name = "image",
    description = {
      "Build an OCI image tarball of the endpoint server serving a bundle, with Jib (no Docker).",
      "SageMaker-ready: 'docker run IMAGE serve' listens on 8080 (/ping, /invocations)."
    })
final class ImageCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle directory.")
  Path bundle;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "IMAGE.tar",
      description = "The image tarball to write.")
  Path output;

  @Option(names = "--image", description = "Image reference (default: snapserve/NAME:VERSION).")
  String image;

  @Option(names = "--arch", description = "amd64 or arm64 (default: this machine's).")
  String arch;

  @Option(
      names = "--base",
      description =
          "Base image: a registry reference, tar://PATH or scratch (default: "
              + EndpointImageRequest.DEFAULT_BASE_IMAGE
              + ").")
  String base;

  @Option(
      names = "--jdk",
      paramLabel = "DIR",
      description = "JDK whose jlink links the image's runtime (default: the one running).")
  Path jdk;

  @Option(
      names = "--base-java",
      paramLabel = "PATH",
      description = "Use the base image's Java at PATH instead of a jlink'd runtime.")
  String baseJava;

  @Option(names = "--force", description = "Replace an existing output.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  ImageCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Jre jre =
        baseJava != null
            ? new Jre.FromBase(baseJava)
            : jdk != null ? new Jre.Jlink(jdk, EndpointImageRequest.DEFAULT_MODULES) : null;
    EndpointImageRequest request =
        new EndpointImageRequest(
            bundle, output, image, arch == null ? null : Arch.parse(arch), base, jre, force);
    EndpointImageResult result = EndpointImage.build(request, new ProgressBars(err));
    if (json) JsonOutput.print(out, result);
    else out.print(EndpointImage.summary(result));
    return 0;
  }
}
