package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.packager.PackagerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeUnzipTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {"../x", "a/../../x", "/etc/x", "\\x", "C:\\x", "c:/x", "a\\..\\..\\x", ".."})
  void hostileNamesAreRefused(String name) {
    Path root = tmp.resolve("root");
    assertThatThrownBy(() -> SafeUnzip.checkedTarget(Path.of("b.zip"), root, name))
        .isInstanceOf(PackagerException.class)
        .hasMessage(
            "b.zip contains the entry '"
                + name
                + "', which points outside the archive (absolute path or '..'); refusing to extract it");
  }

  @Test
  void ordinaryNamesStayInside() {
    Path root = tmp.resolve("root");
    assertThat(SafeUnzip.checkedTarget(Path.of("b.zip"), root, "model/./model.onnx"))
        .isEqualTo(root.resolve("model/model.onnx"));
    assertThat(SafeUnzip.checkedTarget(Path.of("b.zip"), root, "a..b/c"))
        .isEqualTo(root.resolve("a..b/c"));
  }

  @Test
  void notAZipIsAClearError() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.zip"), "not a zip");
    Path out = Files.createDirectories(tmp.resolve("out"));
    assertThatThrownBy(() -> SafeUnzip.extract(junk, out))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("junk.zip is not a readable zip archive");
  }

  @Test
  void extractsAnOrdinaryArchive() throws Exception {
    Path zip = tmp.resolve("ok.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("dir/"));
      out.putNextEntry(new ZipEntry("dir/a.txt"));
      out.write("a".getBytes());
    }
    Path dir = Files.createDirectories(tmp.resolve("x"));
    SafeUnzip.extract(zip, dir);
    assertThat(dir.resolve("dir/a.txt")).hasContent("a");
  }
}
