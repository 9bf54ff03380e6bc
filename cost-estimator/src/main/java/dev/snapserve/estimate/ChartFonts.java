package dev.snapserve.estimate;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The charts' typeface: DejaVu Sans (regular and bold), shipped in this jar under {@code fonts/}
 * with its license. Every text of a chart is drawn in it, so a chart is the same on every machine
 * and draws where no font is installed at all (a slim container, a minimal CI image): there AWT's
 * logical fonts (Dialog, SansSerif, which JFreeChart uses by default) fail with "Probable fatal
 * error: No physical fonts found".
 *
 * <p>On such a machine AWT may not even start its font system: on Linux it asks fontconfig for the
 * fonts behind its logical fonts, and when fontconfig finds none (or is not installed) and no
 * {@code fontconfig.properties} is at hand it throws "Fontconfig head is null", and every font, a
 * created one too, fails. Only then this class points AWT ({@code sun.awt.fontconfig}, unless
 * already set) at a font configuration that names the two shipped files for every logical font, and
 * tries again; where the machine's fonts work, nothing global is changed.
 */
final class ChartFonts {
  private ChartFonts() {}

  static final String PLAIN_FILE = "DejaVuSans.ttf";
  static final String BOLD_FILE = "DejaVuSans-Bold.ttf";

  private static Font plain;
  private static Font bold;
  private static Path dir; // the faces copied out of the jar, once per JVM

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
    if (dir == null) dir = extract();
    Font[] faces;
    try {
      faces = read(dir);
    } catch (Exception | Error first) { // AWT's font system did not start (see above); it may
      // say so as an IOException ("Problem reading font data."), so that is retried too
      if (first instanceof VirtualMachineError e) throw e; // out of memory is not about fonts
      if (System.getProperty("sun.awt.fontconfig") != null) throw failed(first);
      try {
        System.setProperty("sun.awt.fontconfig", fontConfiguration(dir).toString());
        faces = read(dir);
      } catch (Exception | Error second) {
        if (second instanceof VirtualMachineError e) throw e;
        second.addSuppressed(first);
        throw failed(second);
      }
    }
    plain = faces[0];
    bold = faces[1];
  }

  /**
   * Both faces. {@code createFont} is where AWT starts its font system: if that fails, the failure
   * (a RuntimeException such as "Fontconfig head is null") comes out of it.
   */
  private static Font[] read(Path dir) throws IOException, FontFormatException {
    return new Font[] {
      Font.createFont(Font.TRUETYPE_FONT, dir.resolve(PLAIN_FILE).toFile()),
      Font.createFont(Font.TRUETYPE_FONT, dir.resolve(BOLD_FILE).toFile())
    };
  }

  /**
   * Copies both faces out of the jar into a new directory under {@code java.io.tmpdir} (AWT reads
   * fonts from files: {@code createFont} from a stream copies them there too; and a font
   * configuration names files), removed when the JVM exits.
   */
  private static Path extract() {
    try {
      Path dir = Files.createTempDirectory("snapserve-fonts-");
      dir.toFile().deleteOnExit(); // deleted last: deleteOnExit runs in reverse order
      for (String name : new String[] {PLAIN_FILE, BOLD_FILE}) {
        try (InputStream in = ChartFonts.class.getResourceAsStream("fonts/" + name)) {
          if (in == null) throw new IOException("fonts/" + name + " is missing from the jar");
          Path file = dir.resolve(name);
          Files.copy(in, file);
          file.toFile().deleteOnExit();
        }
      }
      return dir;
    } catch (IOException e) {
      throw new ChartException(
          "cannot write the chart font to java.io.tmpdir ("
              + System.getProperty("java.io.tmpdir")
              + "): "
              + e,
          e);
    }
  }

  /**
   * A {@code fontconfig.properties} (the JDK's own format) mapping every logical font and style to
   * the shipped faces, so AWT needs nothing from the machine.
   */
  static String fontConfigurationText(Path dir) {
    StringBuilder sb = new StringBuilder("version=1\n");
    for (String name : new String[] {"serif", "sansserif", "monospaced", "dialog", "dialoginput"}) {
      for (String style : new String[] {"plain", "bold", "italic", "bolditalic"}) {
        String face = style.startsWith("bold") ? "DejaVu Sans Bold" : "DejaVu Sans";
        sb.append(name).append('.').append(style).append(".latin-1=").append(face).append('\n');
      }
    }
    sb.append("sequence.allfonts=latin-1\n");
    // a properties file, where a backslash is an escape; Java takes '/' on Windows too
    sb.append("filename.DejaVu_Sans=").append(path(dir, PLAIN_FILE)).append('\n');
    sb.append("filename.DejaVu_Sans_Bold=").append(path(dir, BOLD_FILE)).append('\n');
    return sb.toString();
  }

  private static String path(Path dir, String name) {
    return dir.resolve(name).toAbsolutePath().toString().replace('\\', '/');
  }

  private static Path fontConfiguration(Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("fontconfig.properties"), fontConfigurationText(dir));
    file.toFile().deleteOnExit();
    return file;
  }

  private static ChartException failed(Throwable e) {
    return new ChartException("cannot set up the chart font: " + e, e);
  }
}
