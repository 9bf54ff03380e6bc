package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the no-chroot mode moves an image's paths into its extracted root. */
class IsolationTest {
  @TempDir Path root;

  @Test
  void everyAbsolutePathInAValueMovesIntoTheRootButTheHostsFilesystemsStay() throws Exception {
    Files.createDirectories(root.resolve("opt/lib"));
    Files.createDirectories(root.resolve("opt/ml/model"));
    assertThat(Isolation.intoRoot(root, "/opt/lib:/opt/ml/model"))
        .isEqualTo(root + "/opt/lib:" + root + "/opt/ml/model");
    assertThat(Isolation.intoRoot(root, "-Da=/opt/lib -Db=/opt/ml/model"))
        .isEqualTo("-Da=" + root + "/opt/lib -Db=" + root + "/opt/ml/model");
    assertThat(Isolation.intoRoot(root, "-Djava.security.egd=file:/dev/./urandom /proc/self"))
        .isEqualTo("-Djava.security.egd=file:/dev/./urandom /proc/self");
    assertThat(Isolation.intoRoot(root, "http://host/x")).isEqualTo("http://host/x");
  }

  @Test
  void aPathTheImageLacksFailsRatherThanFallingThroughToTheHost() {
    assertThatThrownBy(() -> Isolation.intoRoot(root, "/usr/bin/java"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("/usr/bin/java, which is not in the image's root");
  }
}
