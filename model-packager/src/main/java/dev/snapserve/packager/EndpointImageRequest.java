package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link EndpointImage#build} builds: an OCI image tarball of the endpoint server serving one
 * bundle. Start from {@link #of} and change what differs from the defaults with the {@code with}
 * methods.
 *
 * @param bundle bundle directory (manifest.json + model); copied to {@value
 *     EndpointImage#MODEL_DIR}
 * @param output the image tarball to write
 * @param image reference the tarball names the image with (what {@code docker load} tags it as);
 *     {@code null} = {@code snapserve/NAME:VERSION} from the bundle's manifest
 * @param arch CPU architecture of the image (default: this machine's)
 * @param baseImage {@code gcr.io/distroless/cc-debian12} by default (glibc and libstdc++, which
 *     ONNX Runtime needs, and nothing else); any registry reference, {@code tar://PATH} for a local
 *     {@code docker save} tarball, or {@code scratch}
 * @param jre where the image's Java comes from (default: a runtime jlink'd from the JDK snapserve
 *     runs on)
 * @param force replace an existing {@code output}
 */
public record EndpointImageRequest(
    Path bundle, Path output, String image, Arch arch, String baseImage, Jre jre, boolean force) {

  public static final String DEFAULT_BASE_IMAGE = "gcr.io/distroless/cc-debian12";

  /**
   * Modules of the jlink'd runtime: what the endpoint server and its jars use (jdeps, then trial:
   * ONNX Runtime logs through java.util.logging; Jackson's optional java.sql and java.desktop
   * support is not needed).
   */
  public static final List<String> DEFAULT_MODULES =
      List.of("java.base", "java.logging", "jdk.httpserver");

  public EndpointImageRequest {
    if (bundle == null) throw new PackagerException("no bundle directory given");
    if (output == null) throw new PackagerException("no output path given for the image tarball");
    if (arch == null) arch = Arch.host();
    if (baseImage == null || baseImage.isBlank()) baseImage = DEFAULT_BASE_IMAGE;
    if (jre == null) jre = Jre.jlinkFromCurrentJdk();
  }

  /** The defaults: host architecture, distroless base, jlink'd runtime, no force. */
  public static EndpointImageRequest of(Path bundle, Path output) {
    return new EndpointImageRequest(bundle, output, null, null, null, null, false);
  }

  public EndpointImageRequest withImage(String newImage) {
    return new EndpointImageRequest(bundle, output, newImage, arch, baseImage, jre, force);
  }

  public EndpointImageRequest withArch(Arch newArch) {
    return new EndpointImageRequest(bundle, output, image, newArch, baseImage, jre, force);
  }

  public EndpointImageRequest withBaseImage(String newBase) {
    return new EndpointImageRequest(bundle, output, image, arch, newBase, jre, force);
  }

  public EndpointImageRequest withJre(Jre newJre) {
    return new EndpointImageRequest(bundle, output, image, arch, baseImage, newJre, force);
  }

  public EndpointImageRequest withForce(boolean newForce) {
    return new EndpointImageRequest(bundle, output, image, arch, baseImage, jre, newForce);
  }

  /** Image CPU architecture, in OCI's names. */
  public enum Arch {
    AMD64("amd64", "x86_64", PackageRequest.Arch.X86_64),
    ARM64("arm64", "aarch64", PackageRequest.Arch.ARM64);

    private final String oci;
    private final String jdk;
    private final PackageRequest.Arch packageArch;

    Arch(String oci, String jdk, PackageRequest.Arch packageArch) {
      this.oci = oci;
      this.jdk = jdk;
      this.packageArch = packageArch;
    }

    /** The image architecture for a {@code package --arch}. */
    public static Arch of(PackageRequest.Arch arch) {
      for (Arch a : values()) if (a.packageArch == arch) return a;
      throw new IllegalArgumentException(arch.toString());
    }

    /** The same architecture as {@code package --arch} names it. */
    public PackageRequest.Arch packageArch() {
      return packageArch;
    }

    /** OCI's name ({@code amd64}, {@code arm64}). */
    public String oci() {
      return oci;
    }

    /** The JDK's {@code OS_ARCH} ({@code x86_64}, {@code aarch64}). */
    public String jdk() {
      return jdk;
    }

    /** Accepts amd64/x86_64 and arm64/aarch64. */
    public static Arch parse(String s) {
      String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      for (Arch a : values()) if (v.equals(a.oci) || v.equals(a.jdk)) return a;
      throw new PackagerException(
          "architecture must be amd64 (x86_64) or arm64 (aarch64), got '" + s + "'");
    }

    public static Arch host() {
      return parse(System.getProperty("os.arch")); // the JVM says amd64 or aarch64
    }
  }

  /** Where the image's Java runtime comes from. */
  public sealed interface Jre {
    /**
     * A runtime linked by {@code jdk}'s {@code jlink} (JDK 24+ links from its own run-time image;
     * older ones need jmods) from {@code modules}, added as a layer at {@value
     * EndpointImage#JRE_DIR}. The JDK's architecture must be the image's.
     */
    record Jlink(Path jdk, List<String> modules) implements Jre {
      public Jlink {
        modules = List.copyOf(modules);
      }
    }

    /** The base image has Java: {@code java} is its absolute path in the image. */
    record FromBase(String java) implements Jre {}

    /** jlink from the JDK snapserve runs on, with {@link #DEFAULT_MODULES}. */
    static Jre jlinkFromCurrentJdk() {
      return new Jlink(Path.of(System.getProperty("java.home")), DEFAULT_MODULES);
    }
  }
}
