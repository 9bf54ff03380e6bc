package dev.snapserve.packager;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The jars an adapter needs at run time, found on the classpath the packager itself runs on: the
 * CLI's {@code lib/} directory, or the Maven repository in tests. Each adapter jar lists its
 * runtime jars in {@code META-INF/snapserve/ARTIFACT.classpath}, written at build time by the
 * parent pom.
 *
 * @param artifactId the adapter, e.g. {@code snapserve-aws-lambda}
 * @param entries the adapter first, then its dependencies; each a jar file, or a classes directory
 *     (when run from a Maven reactor before packaging) that must be zipped as {@code fileName}
 */
public record RuntimeClasspath(String artifactId, List<Entry> entries) {

  /** One runtime jar: the file name it gets in a deployable, and where its content is now. */
  public record Entry(String fileName, Path source) {}

  public RuntimeClasspath {
    entries = List.copyOf(entries);
  }

  /** Resolves an adapter's runtime jars; fails with the names of any that are not found. */
  public static RuntimeClasspath of(String artifactId) {
    String resource = "META-INF/snapserve/" + artifactId + ".classpath";
    URL url = RuntimeClasspath.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new PackagerException(
          artifactId + " is not on snapserve's classpath (no " + resource + "); rebuild snapserve");
    }
    List<String> names = new ArrayList<>();
    try (InputStream in = url.openStream()) {
      for (String item : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(":")) {
        if (!item.isBlank()) names.add(item.substring(item.lastIndexOf('/') + 1));
      }
    } catch (IOException e) {
      throw new PackagerException("cannot read " + url + ": " + e.getMessage(), e);
    }
    Map<String, Path> available = classpathByFileName();
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(artifactId + ".jar", containerOf(url, resource)));
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      Path path = available.get(name);
      if (path == null) missing.add(name);
      else entries.add(new Entry(name, path));
    }
    if (!missing.isEmpty()) {
      throw new PackagerException(
          artifactId + " needs " + missing + " but they are not on snapserve's classpath");
    }
    return new RuntimeClasspath(artifactId, entries);
  }

  /** The jar or directory that holds a resource. */
  private static Path containerOf(URL url, String resource) {
    try {
      String s = url.toString();
      if (s.startsWith("jar:")) {
        return Path.of(new java.net.URI(s.substring(4, s.indexOf("!/"))));
      }
      Path file = Path.of(url.toURI());
      for (int i = resource.split("/").length; i > 0; i--) file = file.getParent();
      return file;
    } catch (URISyntaxException e) {
      throw new PackagerException("cannot locate " + url, e);
    }
  }

  /** java.class.path entries plus the Class-Path of any jar on it ({@code java -jar} launches). */
  private static Map<String, Path> classpathByFileName() {
    Map<String, Path> byName = new LinkedHashMap<>();
    for (String item : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (item.isEmpty()) continue;
      Path path = Path.of(item).toAbsolutePath();
      byName.putIfAbsent(path.getFileName().toString(), path);
      String reactorJar = reactorJarName(path);
      if (reactorJar != null) byName.putIfAbsent(reactorJar, path);
      if (item.endsWith(".jar") && Files.isRegularFile(path)) {
        for (Path dep : manifestClassPath(path))
          byName.putIfAbsent(dep.getFileName().toString(), dep);
      }
    }
    return byName;
  }

  /**
   * In a Maven reactor before {@code package} a sibling module is its {@code target/classes}
   * directory: the jar name it will have is {@code artifactId-version.jar} from its pom.
   */
  private static String reactorJarName(Path dir) {
    Path target = dir.getParent();
    if (!Files.isDirectory(dir) || target == null || !target.endsWith("target")) return null;
    Path pom = target.resolveSibling("pom.xml");
    if (!Files.isRegularFile(pom)) return null;
    try {
      String xml = Files.readString(pom);
      String parent = element(xml, "parent");
      String own = parent == null ? xml : xml.replace(parent, "");
      String artifactId = element(own, "artifactId");
      String version = element(own, "version");
      if (version == null && parent != null) version = element(parent, "version");
      return artifactId == null || version == null ? null : artifactId + "-" + version + ".jar";
    } catch (IOException e) {
      return null;
    }
  }

  /** The text of the first {@code <tag>} element (no XML parser for two fields of a pom). */
  private static String element(String xml, String tag) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "<" + tag + ">(.*?)</" + tag + ">", java.util.regex.Pattern.DOTALL)
            .matcher(xml);
    return m.find() ? m.group(1).trim() : null;
  }

  private static List<Path> manifestClassPath(Path jar) {
    List<Path> deps = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath == null) return deps;
      for (String rel : classPath.trim().split("\\s+")) {
        Path dep = jar.getParent().resolve(rel).normalize();
        if (Files.exists(dep)) deps.add(dep);
      }
    } catch (IOException e) {
      // not a readable jar: it contributes no Class-Path
    }
    return deps;
  }
}
