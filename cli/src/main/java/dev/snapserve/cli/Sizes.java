package dev.snapserve.cli;

import java.util.Locale;

/** Human-readable byte counts for command output. */
final class Sizes {
  private Sizes() {}

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
