package dev.snapserve.packager;

/**
 * Progress of long-running packager steps. The library reports; the CLI draws a progress bar. Tasks
 * are opened and closed in order, never concurrently.
 */
public interface Progress {
  /** Reports nothing (the default for library callers). */
  Progress NONE = (name, total, unit) -> Task.NONE;

  /**
   * Starts a task of {@code total} units ({@code unit} e.g. "MB", "samples"); a total of -1 means
   * unknown.
   */
  Task begin(String name, long total, String unit);

  /** One task; close it when done. */
  interface Task extends AutoCloseable {
    Task NONE =
        new Task() {
          @Override
          public void stepTo(long done) {}

          @Override
          public void close() {}
        };

    /** Sets how many units are done. */
    void stepTo(long done);

    @Override
    void close();
  }
}
