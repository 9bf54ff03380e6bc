package dev.snapserve.cli;

import dev.snapserve.packager.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws the packager's progress as bars on stderr, so stdout stays clean for results and {@code
 * --json}. Tasks that finish within a second never show a bar.
 */
final class ProgressBars implements Progress {
  private final PrintStream err;

  ProgressBars(PrintStream err) {
    this.err = err;
  }

  @Override
  public Task begin(String name, long total, String unit) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setUnit(" " + unit, 1)
            .setStyle(ProgressBarStyle.ASCII)
            .continuousUpdate()
            .setUpdateIntervalMillis(250)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
            .setMaxRenderedLength(100)
            .build();
    return new Task() {
      @Override
      public void stepTo(long done) {
        bar.stepTo(done);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
