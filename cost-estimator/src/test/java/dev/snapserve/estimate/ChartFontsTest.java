package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback font configuration, which AWT only gets on a machine whose fontconfig finds no fonts
 * (to see that path, run the chart tests with {@code /usr/share/fonts} hidden, see the README).
 * Here a child JVM is started with it, on any machine: it must parse, and every logical font must
 * be the shipped DejaVu Sans, even Serif (which is a serif face wherever fonts are).
 */
class ChartFontsTest {
  static final String TEXT = "Monthly cost by traffic (us-east-1) $1,000,000";

  @Test
  void theFallbackConfigurationPutsTheShippedFacesBehindEveryLogicalFont(@TempDir Path dir)
      throws Exception {
    for (String name : new String[] {ChartFonts.PLAIN_FILE, ChartFonts.BOLD_FILE}) {
      try (InputStream in = ChartFonts.class.getResourceAsStream("fonts/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    Path config =
        Files.writeString(
            dir.resolve("fontconfig.properties"), ChartFonts.fontConfigurationText(dir));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true",
                "-Dsun.awt.fontconfig=" + config,
                "-cp",
                System.getProperty("java.class.path"),
                Widths.class.getName(),
                dir.toString())
            // stderr apart: with no fontconfig configuration the library complains there
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = child.waitFor();
    String log = out + "stderr: " + Files.readString(dir.resolve("stderr"));
    assertThat(exit).as(log).isZero();
    String[] lines = out.strip().split("\n");
    assertThat(lines).as(log).hasSize(2);
    for (String line : lines) { // "shipped logical logical logical" widths, all the same
      assertThat(line.split(" ")).as(log).hasSize(4).containsOnly(line.split(" ")[0]);
    }
  }

  /** In the child JVM: the width of {@link #TEXT} in each shipped face and in logical fonts. */
  public static final class Widths {
    public static void main(String[] args) throws Exception {
      FontRenderContext frc = new FontRenderContext(null, true, true);
      Path dir = Path.of(args[0]);
      String[][] rows = {
        {ChartFonts.PLAIN_FILE, Font.DIALOG, Font.SANS_SERIF, Font.SERIF},
        {ChartFonts.BOLD_FILE, Font.DIALOG, Font.SANS_SERIF, Font.SERIF}
      };
      for (int style : new int[] {Font.PLAIN, Font.BOLD}) {
        String[] row = rows[style == Font.PLAIN ? 0 : 1];
        Font shipped =
            Font.createFont(Font.TRUETYPE_FONT, dir.resolve(row[0]).toFile()).deriveFont(12f);
        StringBuilder line = new StringBuilder(width(shipped, frc));
        for (int i = 1; i < row.length; i++) {
          line.append(' ').append(width(new Font(row[i], style, 12), frc));
        }
        System.out.println(line);
      }
    }

    private static String width(Font f, FontRenderContext frc) {
      return String.valueOf(f.getStringBounds(TEXT, frc).getWidth());
    }
  }
}
