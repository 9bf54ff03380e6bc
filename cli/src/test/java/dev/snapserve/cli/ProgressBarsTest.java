package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.packager.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Progress progress = new ProgressBars(new PrintStream(err, true));

  @Test
  void quickTasksStaySilent() {
    try (Progress.Task task = progress.begin("quick", 10, "items")) {
      task.stepTo(10);
    }
    assertThat(err.size()).isZero();
  }

  @Test
  void slowTasksDrawABarOnStderr() throws InterruptedException {
    try (Progress.Task task = progress.begin("upload", 100, "MB")) {
      task.stepTo(40);
      Thread.sleep(1500);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("upload").contains("40/100");
  }
}
