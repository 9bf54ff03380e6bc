package dev.snapserve.estimate;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The charts' typeface: DejaVu Sans (regular and bold), shipped in this jar under {@code fonts/}
 * with its license. Every text of a chart is drawn in it, so a chart is the same on every machine
 * and draws where no font is installed at all (a slim container): there AWT's logical fonts
 * (Dialog, SansSerif, which JFreeChart uses by default) fail with "Probable fatal error: No
 * physical fonts found".
 */
final class ChartFonts {
  private ChartFonts() {}

  private static Font plain;
  private static Font bold;

  /** The regular face at {@code size} points. */
  static Font plain(float size) {
    load();
    return plain.deriveFont(size);
  }

  /**
   * The bold face at {@code size} points. Styled BOLD (the font as read is PLAIN) so an SVG says
   * {@code font-weight: bold}; Java draws the bold face as it is, without emboldening it again.
   */
  static Font bold(float size) {
    load();
    return bold.deriveFont(Font.BOLD, size);
  }

  /** Reads both faces once per JVM; a failure is thrown again on the next chart, not cached. */
  private static synchronized void load() {
    if (bold != null) return;
    Font p = read("DejaVuSans.ttf");
    Font b = read("DejaVuSans-Bold.ttf");
    plain = p;
    bold = b;
  }

  private static Font read(String name) {
    try (InputStream in = ChartFonts.class.getResourceAsStream("fonts/" + name)) {
      if (in == null) throw new IllegalStateException("fonts/" + name + " is missing from the jar");
      return Font.createFont(Font.TRUETYPE_FONT, in);
    } catch (IOException | FontFormatException e) {
      // createFont first copies the font to a temporary file: an unwritable tmpdir fails here
      throw new ChartException(
          "cannot load the chart font "
              + name
              + " (Java copies it to java.io.tmpdir, "
              + System.getProperty("java.io.tmpdir")
              + "): "
              + e,
          e);
    }
  }
}
