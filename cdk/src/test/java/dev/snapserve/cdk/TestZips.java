package dev.snapserve.cdk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small stand-ins for the packager's Lambda zip: the constructs only ship it as an asset. */
final class TestZips {
  private TestZips() {}

  static Path lambdaZip(Path dir, String name) throws IOException {
    Path zip = dir.resolve(name);
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("models/digits/1/manifest.json"));
      z.write("{\"name\":\"digits\",\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return zip;
  }
}
