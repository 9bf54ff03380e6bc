package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A built endpoint image tarball.
 *
 * @param output the tarball ({@code docker load -i}-able)
 * @param image the reference the tarball names the image with
 * @param digest the image manifest's digest ({@code sha256:...}): what a registry reports after a
 *     push
 * @param imageId the config's digest: the id {@code docker load} prints
 * @param arch the image's CPU architecture
 * @param baseImage the base it was built on
 * @param sizeBytes size of the tarball
 * @param layers the layers snapserve added, bottom to top (the base's come first)
 * @param entrypoint the container's entrypoint
 * @param cmd its default arguments ({@code serve}; SageMaker passes the same)
 * @param environment the variables snapserve set
 */
public record EndpointImageResult(
    Path output,
    String image,
    String digest,
    String imageId,
    EndpointImageRequest.Arch arch,
    String baseImage,
    long sizeBytes,
    List<Layer> layers,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> environment) {

  public EndpointImageResult {
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    environment = Map.copyOf(environment);
  }

  /**
   * One layer snapserve added.
   *
   * @param name jre, dependencies, onnxruntime, app or model
   * @param files regular files in it
   * @param contentBytes the files' total size, uncompressed
   */
  public record Layer(String name, int files, long contentBytes) {}
}
