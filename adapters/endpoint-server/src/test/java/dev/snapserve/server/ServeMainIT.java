package dev.snapserve.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snapserve.functions.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The server image's entry point in its own JVM: serves, and stops cleanly on SIGTERM. */
class ServeMainIT {
  static final Pattern BANNER = Pattern.compile("snapserve: serving digits@1 on (http://\\S+) in ");

  @Test
  void servesUntilSigtermThenDrainsClosesAndSaysSo() throws Exception {
    Process p = java(List.of("serve", Fixtures.demo().toString()));
    try (BufferedReader out = reader(p)) {
      URI base = servingAt(p, out);

      assertThat(Http.get(base, "/ping").statusCode()).isEqualTo(200);
      Http.assertDigits(Http.post(base, "/invocations", Http.instances(30, 33)), 30, 33);

      p.toHandle().destroy(); // SIGTERM, leaving our ends of its pipes open
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<String> rest = new ArrayList<>();
      for (String line; (line = out.readLine()) != null; ) rest.add(line);
      // the last request may still be finishing its exchange when the signal lands: 0 or 1
      assertThat(rest)
          .singleElement()
          .asString()
          .matches(
              "snapserve: stopped on signal after draining [01] in-flight request\\(s\\) in \\d+ ms");
      assertThat(p.exitValue()).isEqualTo(128 + 15);
    } finally {
      p.destroyForcibly();
    }
  }

  /** A client that stops mid-body is cut off at the read timeout; the server goes on serving. */
  @Test
  void aStalledClientIsDisconnectedAtTheReadTimeout() throws Exception {
    Process p =
        java(List.of("serve", Fixtures.demo().toString()), "SNAPSERVE_READ_TIMEOUT_SECONDS", "1");
    try (BufferedReader out = reader(p)) {
      URI base = servingAt(p, out);
      try (Socket stalled = new Socket(base.getHost(), base.getPort())) {
        stalled
            .getOutputStream()
            .write(
                ("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"instances\": [")
                    .getBytes(StandardCharsets.US_ASCII));
        stalled.setSoTimeout(30_000); // without the read timeout the server would wait forever
        assertThat(stalled.getInputStream().read()).isEqualTo(-1); // closed, nothing answered
      }
      assertThat(Http.get(base, "/ping").statusCode()).isEqualTo(200);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aModelThatCannotBeServedExitsOneWithTheReason() throws Exception {
    Path missing = Fixtures.ROOT.resolve("models/does-not-exist");
    Process p = java(List.of(missing.toString()));
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(stderr(p))
          .isEqualTo(
              "snapserve: no such file or directory: "
                  + missing
                  + " (pass a bundle directory or a .onnx file)\n");
      assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }

  /** The address of the banner the server prints once it serves. */
  private static URI servingAt(Process p, BufferedReader out) throws IOException {
    String banner = out.readLine();
    assertThat(banner).as(stderr(p)).isNotNull();
    Matcher m = BANNER.matcher(banner);
    assertThat(m.find()).as(banner).isTrue();
    return URI.create(m.group(1));
  }

  /** {@code Serve} in a fresh JVM with {@code env} (name, value, ...) added. */
  private static Process java(List<String> args, String... env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Serve.class.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SNAPSERVE_PORT", "0");
    pb.environment().put("SNAPSERVE_PRIME_ITERATIONS", "1");
    pb.environment().remove("SNAPSERVE_BUNDLES");
    pb.environment().remove("SNAPSERVE_HOST");
    for (int i = 0; i < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
    return pb.start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Standard error, once the process has ended (empty while it runs). */
  private static String stderr(Process p) throws IOException {
    if (p.isAlive()) return "";
    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
