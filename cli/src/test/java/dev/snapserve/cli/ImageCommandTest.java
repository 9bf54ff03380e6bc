package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.functions.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandTest extends CliRun {
  @TempDir Path dir;

  @Test
  void aBadArchitectureIsOneLineAndExitTwo() {
    int code =
        run(
            "image",
            Fixtures.demo().toString(),
            "-o",
            dir.resolve("i.tar").toString(),
            "--arch",
            "s390x");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "snapserve: architecture must be amd64 (x86_64) or arm64 (aarch64), got 's390x'");
    assertThat(dir.resolve("i.tar")).doesNotExist();
  }
}
