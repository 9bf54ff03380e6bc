package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.packager.EndpointImageRequest.Arch;
import dev.snapserve.packager.EndpointImageRequest.Jre;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@link EndpointImage#build}: each a clear error, nothing written. */
class EndpointImageTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheDocumentedOnes() {
    EndpointImageRequest r = EndpointImageRequest.of(Fixtures.demo(), dir.resolve("i.tar"));
    assertThat(r.baseImage()).isEqualTo("gcr.io/distroless/cc-debian12");
    assertThat(r.arch()).isEqualTo(Arch.host());
    assertThat(r.jre())
        .isEqualTo(
            new Jre.Jlink(
                Path.of(System.getProperty("java.home")),
                List.of("java.base", "java.logging", "jdk.httpserver")));
    assertThat(r.force()).isFalse();
  }

  @Test
  void archAcceptsBothSpellings() {
    assertThat(Arch.parse("x86_64")).isEqualTo(Arch.AMD64);
    assertThat(Arch.parse("AARCH64")).isEqualTo(Arch.ARM64);
    assertThatThrownBy(() -> Arch.parse("riscv64"))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("got 'riscv64'");
  }

  @Test
  void aDirectoryWithoutManifestIsNotABundle() {
    assertThatThrownBy(() -> build(EndpointImageRequest.of(dir, dir.resolve("out/i.tar"))))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("manifest.json");
    assertThatThrownBy(
            () -> build(EndpointImageRequest.of(dir.resolve("nope"), dir.resolve("i.tar"))))
        .hasMessageContaining("is not a bundle directory");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void theOutputMayNotGoInsideTheBundle() {
    Path bundle = Fixtures.copyBundle("demo", dir.resolve("bundle"));
    assertThatThrownBy(() -> build(EndpointImageRequest.of(bundle, bundle.resolve("i.tar"))))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("inside the bundle directory");
  }

  @Test
  void anExistingOutputNeedsForce() throws Exception {
    Path out = Files.writeString(dir.resolve("i.tar"), "keep");
    assertThatThrownBy(
            () ->
                build(
                    EndpointImageRequest.of(Fixtures.demo(), out)
                        .withBaseImage("scratch")
                        .withJre(new Jre.FromBase("/usr/bin/java"))))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("already exists; pass --force");
    assertThat(out).hasContent("keep");
  }

  @Test
  void jlinkRefusesAJdkOfAnotherArchitecture() {
    Arch other = Arch.host() == Arch.AMD64 ? Arch.ARM64 : Arch.AMD64;
    assertThatThrownBy(
            () ->
                build(
                    EndpointImageRequest.of(Fixtures.demo(), dir.resolve("i.tar"))
                        .withArch(other)
                        .withBaseImage("scratch")))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("jlink needs a JDK of the image's architecture");
    assertThat(dir.resolve("i.tar")).doesNotExist();
  }

  @Test
  void badReferencesAndAMissingBaseTarballAreNamed() {
    EndpointImageRequest r = EndpointImageRequest.of(Fixtures.demo(), dir.resolve("i.tar"));
    assertThatThrownBy(() -> build(r.withImage("Not A/Ref")))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("'Not A/Ref' is not a valid image reference");
    assertThatThrownBy(() -> build(r.withBaseImage("tar://" + dir.resolve("base.tar"))))
        .hasMessageContaining("base image tarball " + dir.resolve("base.tar") + " does not exist");
  }

  @Test
  void summaryShowsTheImageAndHowToPushIt() {
    EndpointImageResult r =
        new EndpointImageResult(
            Path.of("build/digits.tar"),
            "snapserve/digits:1",
            "sha256:abc",
            "sha256:def",
            Arch.ARM64,
            "gcr.io/distroless/cc-debian12",
            95_300_000,
            List.of(new EndpointImageResult.Layer("jre", 48, 43_000_000)),
            List.of("/opt/java/jre/bin/java"),
            List.of("serve"),
            Map.of());
    assertThat(EndpointImage.summary(r))
        .contains("wrote build/digits.tar (95.3 MB, linux/arm64)")
        .contains("digest  sha256:abc")
        .contains("jre 43.0 MB (48 files)")
        .contains(
            "snapserve publish build/digits.tar --ecr"
                + " ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG")
        .contains("crane push build/digits.tar ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG");
  }

  private static EndpointImageResult build(EndpointImageRequest r) {
    return EndpointImage.build(r, Progress.NONE);
  }
}
