package dev.snapserve.packager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link EndpointImageIT} runs an image's command in the image's extracted root, chosen by what
 * this machine permits, in this order:
 *
 * <ol>
 *   <li>{@link #MOUNT_NAMESPACE}: {@code unshare --mount}, /proc and /dev bind-mounted in, {@code
 *       chroot}. Needs root with CAP_SYS_ADMIN, as a container runtime has.
 *   <li>{@link #USER_NAMESPACE}: the same inside an unprivileged user namespace ({@code unshare
 *       --user --map-root-user}), for a non-root user where the kernel allows that.
 *   <li>{@link #NO_CHROOT}: neither is permitted (Docker's default seccomp profile refuses both to
 *       a container without CAP_SYS_ADMIN; AppArmor may refuse mounts in user namespaces). The
 *       command runs on the host, every absolute path in its arguments and environment rewritten
 *       into the extracted root ({@code /opt/...} to {@code <root>/opt/...}), so the image's own
 *       JRE, jars, native libraries and model still serve; a path the image lacks is an error, not
 *       a silent fall-through to the host's file. The program must be an absolute path, since
 *       {@code PATH} is left as it is (a list of the host's directories then). Only libc and
 *       libstdc++ are the host's rather than the base image's.
 * </ol>
 *
 * <p>The choice is printed as one line on stderr. The system property {@value #FORCE} ({@code
 * mount}, {@code user} or {@code none}) skips the probe and forces a mode, to check one on a
 * machine that would choose another, e.g. {@code ./mvnw verify -pl model-packager
 * -Dit.test=EndpointImageIT -Dsnapserve.it.isolation=none}.
 */
enum Isolation {
  MOUNT_NAMESPACE("mount", List.of("unshare", "--mount", "--propagation", "private")),
  USER_NAMESPACE(
      "user",
      List.of("unshare", "--user", "--map-root-user", "--mount", "--propagation", "private")),
  NO_CHROOT("none", List.of());

  static final String FORCE = "snapserve.it.isolation";
  private static final String MOUNTS =
      "mount --rbind /proc \"$0/proc\" && mount --rbind /dev \"$0/dev\"";

  /**
   * An absolute path at the start of a value or after {@code =}, {@code :} or a space (not {@code
   * //}).
   */
  private static final Pattern ABSOLUTE = Pattern.compile("(^|[=:\\s])(/(?!/)[^:=\\s]*)");

  /** The host's, in every mode: the chroot modes bind-mount them into the root. */
  private static final Pattern HOST_FILESYSTEMS = Pattern.compile("/(proc|dev|sys)(/.*)?");

  private static Isolation chosen;

  private final String id;
  private final List<String> unshare;

  Isolation(String id, List<String> unshare) {
    this.id = id;
    this.unshare = unshare;
  }

  /** The first mode this machine permits (probed once), or the forced one. */
  static synchronized Isolation choose() throws IOException, InterruptedException {
    if (chosen != null) return chosen;
    String forced = System.getProperty(FORCE, "").trim().toLowerCase(Locale.ROOT);
    if (!forced.isEmpty()) {
      for (Isolation mode : values()) if (mode.id.equals(forced)) chosen = mode;
      if (chosen == null) {
        throw new IllegalArgumentException(FORCE + " must be mount, user or none: " + forced);
      }
      log(chosen, "forced by -D" + FORCE + "=" + forced);
      return chosen;
    }
    String mountRefused = MOUNT_NAMESPACE.refusal();
    if (mountRefused == null) {
      chosen = MOUNT_NAMESPACE;
      log(chosen, "unshare --mount is permitted");
      return chosen;
    }
    String userRefused = USER_NAMESPACE.refusal();
    if (userRefused == null) {
      chosen = USER_NAMESPACE;
      log(chosen, "unshare --mount: " + mountRefused + ", but a user namespace may mount");
      return chosen;
    }
    chosen = NO_CHROOT;
    log(
        chosen,
        "no mount namespace allowed here (unshare --mount: "
            + mountRefused
            + "; unshare --user --map-root-user --mount: "
            + userRefused
            + ")");
    return chosen;
  }

  /**
   * A process that runs {@code argv} with only {@code env}, in {@code root} as its root (or, for
   * {@link #NO_CHROOT}, with its paths rewritten into {@code root}). The caller may add to its
   * environment.
   */
  ProcessBuilder command(Path root, List<String> argv, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    Map<String, String> environment = new LinkedHashMap<>();
    ProcessBuilder pb = new ProcessBuilder(command);
    if (this == NO_CHROOT) {
      // an absolute program, so PATH, searched in the host's directories here, does not pick it
      if (!argv.getFirst().startsWith("/")) {
        throw new AssertionError("the image's entrypoint is not an absolute path: " + argv);
      }
      for (String arg : argv) command.add(intoRoot(root, arg));
      env.forEach((k, v) -> environment.put(k, k.equals("PATH") ? v : intoRoot(root, v)));
      pb.directory(root.toFile()); // chroot's working directory is the new root
    } else {
      // a private mount namespace: the bind mounts vanish with the process
      command.addAll(unshare);
      command.addAll(
          List.of("sh", "-c", MOUNTS + " && exec chroot \"$0\" \"$@\"", root.toString()));
      command.addAll(argv);
      environment.putAll(env);
    }
    pb.environment().clear();
    pb.environment().putAll(environment);
    return pb;
  }

  /** {@code value} with each absolute path in it moved into {@code root}, which must hold it. */
  static String intoRoot(Path root, String value) {
    Matcher m = ABSOLUTE.matcher(value);
    return m.replaceAll(
        r -> {
          String path = r.group(2);
          if (HOST_FILESYSTEMS.matcher(path).matches()) return Matcher.quoteReplacement(r.group());
          if (!Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
            throw new AssertionError(
                "'" + value + "' names " + path + ", which is not in the image's root " + root);
          }
          return Matcher.quoteReplacement(r.group(1) + root + path);
        });
  }

  /** Null if this machine lets this mode bind-mount and chroot, else why not. */
  private String refusal() throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("isolation-probe");
    try {
      Files.createDirectories(scratch.resolve("proc"));
      Files.createDirectories(scratch.resolve("dev"));
      List<String> probe = new ArrayList<>(unshare);
      probe.addAll(List.of("sh", "-c", MOUNTS + " && exec chroot / true", scratch.toString()));
      Process p;
      try {
        p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      } catch (IOException e) {
        return e.getMessage(); // no unshare here
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int exit = p.waitFor();
      if (exit == 0) return null;
      return out.isEmpty() ? "exit " + exit : out.replace('\n', ' ');
    } finally {
      Files.deleteIfExists(scratch.resolve("proc"));
      Files.deleteIfExists(scratch.resolve("dev"));
      Files.deleteIfExists(scratch);
    }
  }

  private static void log(Isolation mode, String why) {
    String what =
        switch (mode) {
          case MOUNT_NAMESPACE -> "chroot into the extracted root in a private mount namespace";
          case USER_NAMESPACE ->
              "chroot into the extracted root in a private mount namespace of an unprivileged user"
                  + " namespace";
          case NO_CHROOT ->
              "running the image's entrypoint without chroot, with paths rewritten into the"
                  + " extracted root";
        };
    System.err.println("EndpointImageIT: " + why + "; " + what);
  }
}
