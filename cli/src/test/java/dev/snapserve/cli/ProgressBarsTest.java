package dev.snapserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.packager.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tasksThatEndBeforeTheDelayStaySilent() {
    Progress progress = new ProgressBars(new PrintStream(err, true), 3_600_000);
    try (Progress.Task task = progress.begin("quick", 10, "items")) {
      task.stepTo(10);
    }
    assertThat(err.size()).isZero();
  }

  @Test
  void tasksStillRunningAfterTheDelayDrawABarOnStderr() throws InterruptedException {
    Progress progress = new ProgressBars(new PrintStream(err, true), 0);
    try (Progress.Task task = progress.begin("upload", 100, "MB")) {
      task.stepTo(40);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!err().contains("upload") && System.nanoTime() < deadline) Thread.sleep(10);
    }
    assertThat(err()).contains("upload").contains("40/100");
  }
}
