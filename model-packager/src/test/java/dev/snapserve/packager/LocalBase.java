package dev.snapserve.packager;

import ai.onnxruntime.OrtEnvironment;
import dev.snapserve.functions.Fixtures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A minimal base image as a {@code docker save} tarball, built offline from this machine: the
 * shared libraries (found with {@code ldd}) that the JVM and ONNX Runtime's native library load,
 * plus /tmp, /proc and /dev mount points. It plays the part of distroless/cc, which has the same.
 * Nothing here names an architecture: the libraries keep the paths {@code ldd} reports on this
 * machine (/lib/x86_64-linux-gnu and /lib64/ld-linux-x86-64.so.2 on x86-64 Debian,
 * /lib/aarch64-linux-gnu and /lib/ld-linux-aarch64.so.1 on arm64), and the config says {@link
 * EndpointImageRequest.Arch#host()}.
 */
final class LocalBase {
  private static final Pattern LIB = Pattern.compile("(/\\S+\\.so[.\\d]*)");

  private LocalBase() {}

  static Path build(Path work) throws Exception {
    Path root = Files.createDirectories(work.resolve("rootfs"));
    for (String d : List.of("tmp", "proc", "dev", "etc")) Files.createDirectories(root.resolve(d));
    Files.setPosixFilePermissions(
        root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
    for (String lib : sharedLibraries(work)) {
      Path target = root.resolve(lib.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING); // follows links
    }
    Path layer = work.resolve("layer.tar");
    EndpointImageIT.run(
        "tar",
        "--sort=name",
        "--mtime=@0",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "-C",
        root.toString(),
        "-cf",
        layer.toString(),
        ".");
    String config =
        Fixtures.JSON.writeValueAsString(
            Map.of(
                "architecture", EndpointImageRequest.Arch.host().oci(),
                "os", "linux",
                "config", Map.of("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin")),
                "rootfs",
                    Map.of(
                        "type",
                        "layers",
                        "diff_ids",
                        List.of("sha256:" + PackagerTest.sha256(layer)))));
    Files.writeString(work.resolve("config.json"), config);
    Files.writeString(
        work.resolve("manifest.json"),
        Fixtures.JSON.writeValueAsString(
            List.of(
                Map.of(
                    "Config", "config.json",
                    "RepoTags", List.of("snapserve-test/base:1"),
                    "Layers", List.of("layer.tar")))));
    Path tar = work.resolve("base.tar");
    EndpointImageIT.run(
        "tar",
        "-C",
        work.toString(),
        "-cf",
        tar.toString(),
        "manifest.json",
        "config.json",
        "layer.tar");
    return tar;
  }

  /** Libraries the host JDK's launcher and JVM and ONNX Runtime's native library need. */
  private static Set<String> sharedLibraries(Path work) throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path ortSo = work.resolve("libonnxruntime.so");
    String resource =
        "/ai/onnxruntime/native/"
            + EndpointImageRequest.Arch.host().packageArch().onnxRuntimePlatform()
            + "/libonnxruntime.so";
    try (InputStream in = OrtEnvironment.class.getResourceAsStream(resource)) {
      Files.copy(in, ortSo);
    }
    Set<String> libs = new TreeSet<>();
    List<Path> binaries;
    try (Stream<Path> s = Files.walk(javaHome.resolve("lib"))) {
      binaries = new java.util.ArrayList<>(s.filter(p -> p.toString().endsWith(".so")).toList());
    }
    binaries.add(javaHome.resolve("bin/java"));
    binaries.add(ortSo);
    for (Path binary : binaries) {
      Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      for (String line : out.split("\n")) {
        if (line.contains(javaHome.toString()) || line.contains("not found")) continue;
        Matcher m = LIB.matcher(line);
        if (m.find()) libs.add(m.group(1));
      }
    }
    return libs;
  }
}
