package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.packager.PackagerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
  @TempDir Path tmp;

  /** A one-entry ustar header whose size field holds {@code size}, then an empty block. */
  private Path tar(String size) throws Exception {
    byte[] header = new byte[512];
    put(header, 0, "manifest.json");
    put(header, 100, "0000644");
    put(header, 124, size);
    header[156] = '0';
    put(header, 257, "ustar");
    // checksum: the header's bytes with the checksum field as spaces
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) sum += b & 0xff;
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    Path tar = tmp.resolve("hostile.tar");
    Files.write(tar, concat(header, new byte[1024]));
    return tar;
  }

  @Test
  void aNegativeEntrySizeIsAClearError() throws Exception {
    Path tar = tar("-1");
    assertThatThrownBy(() -> Archives.readManifest(tar, Archives.Kind.TAR))
        .isInstanceOf(PackagerException.class)
        .hasMessage("archive " + tar + " is not a valid tar (bad size field '-1')");
  }

  @Test
  void aBase256EntrySizeIsRefusedToo() throws Exception {
    Path tar = tar("\u0080");
    assertThatThrownBy(() -> Archives.readManifest(tar, Archives.Kind.TAR))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("is not a valid tar (bad size field");
  }

  private static void put(byte[] b, int off, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(bytes, 0, b, off, bytes.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
