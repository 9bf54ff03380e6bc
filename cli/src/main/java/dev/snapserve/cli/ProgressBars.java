package dev.snapserve.cli;

import dev.snapserve.packager.Progress;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws the packager's progress as bars on stderr, so stdout stays clean for results and {@code
 * --json}. A bar appears only once its task has run for a second: quick steps stay silent.
 */
final class ProgressBars implements Progress {
  private static final long SHOW_AFTER_MILLIS = 1000;
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "snapserve-progress");
            t.setDaemon(true);
            return t;
          });

  private final PrintStream err;
  private final long showAfterMillis;

  ProgressBars(PrintStream err) {
    this(err, SHOW_AFTER_MILLIS);
  }

  ProgressBars(PrintStream err, long showAfterMillis) {
    this.err = err;
    this.showAfterMillis = showAfterMillis;
  }

  @Override
  public Task begin(String name, long total, String unit) {
    return new DelayedBar(name, total, unit);
  }

  private final class DelayedBar implements Task {
    private final String name;
    private final long total;
    private final String unit;
    private final ScheduledFuture<?> show;
    private ProgressBar bar;
    private long done;
    private boolean closed;

    DelayedBar(String name, long total, String unit) {
      this.name = name;
      this.total = total;
      this.unit = unit;
      this.show = TIMER.schedule(this::show, showAfterMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void show() {
      if (closed) return;
      bar =
          new ProgressBarBuilder()
              .setTaskName(name)
              .setInitialMax(total)
              .setUnit(" " + unit, 1)
              .setStyle(ProgressBarStyle.ASCII)
              .continuousUpdate()
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .setMaxRenderedLength(100)
              .build();
      bar.stepTo(done);
    }

    @Override
    public synchronized void stepTo(long done) {
      this.done = done;
      if (bar != null) bar.stepTo(done);
    }

    @Override
    public synchronized void close() {
      closed = true;
      show.cancel(false);
      if (bar != null) bar.close();
    }
  }
}
