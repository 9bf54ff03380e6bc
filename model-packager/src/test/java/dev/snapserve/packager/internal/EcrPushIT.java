package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.snapserve.packager.Progress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jib half of {@code publish --ecr} against a registry on loopback: a minimal implementation of
 * the Docker Registry HTTP API v2 push flow (blobs, chunked uploads, manifests) behind HTTP Basic
 * auth, as ECR is. What it cannot show is ECR itself (HTTPS, the token request).
 */
class EcrPushIT {
  private static final String USER = "AWS";
  private static final String PASSWORD = "ecr-token-password";

  @TempDir Path tmp;
  private HttpServer registry;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final List<String> unauthorized = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSignedTls()));
    https.createContext("/v2/", this::handle);
    https.start();
    registry = https;
  }

  @AfterEach
  void stop() {
    registry.stop(0);
  }

  /** HTTPS like ECR, with a certificate made by keytool for 127.0.0.1 (Jib: insecure registry). */
  private SSLContext selfSignedTls() throws Exception {
    Path store = tmp.resolve("registry.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-alias",
                "registry",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  @Test
  void pushesEveryBlobAndTheManifestWithTheTokensBasicCredentials() throws Exception {
    Path image = imageTarball();
    String host = "127.0.0.1:" + registry.getAddress().getPort();
    Containerizer target =
        Containerizer.to(
                RegistryImage.named(host + "/snapserve/digits:1")
                    .addCredentialRetriever(
                        EcrPush.retriever(
                            EcrPush.decodeToken(
                                Base64.getEncoder()
                                    .encodeToString(
                                        (USER + ":" + PASSWORD)
                                            .getBytes(StandardCharsets.UTF_8))))))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(tmp.resolve("base-cache"))
            .setApplicationLayersCache(tmp.resolve("app-cache"));
    List<Long> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    Progress.Task task =
        new Progress.Task() {
          @Override
          public void stepTo(long done) {
            steps.add(done);
          }

          @Override
          public void close() {}
        };

    JibContainer pushed = EcrPush.push(image, target, task);

    byte[] manifest = manifests.get("snapserve/digits:1");
    assertThat(manifest).as("manifest pushed under the tag").isNotNull();
    assertThat(pushed.getDigest().toString()).isEqualTo(sha256(manifest));
    JsonNode m = new ObjectMapper().readTree(manifest);
    List<String> referenced = new ArrayList<>();
    referenced.add(m.get("config").get("digest").asText());
    m.get("layers").forEach(l -> referenced.add(l.get("digest").asText()));
    assertThat(referenced).hasSizeGreaterThanOrEqualTo(2);
    for (String digest : referenced) {
      assertThat(blobs).containsKey(digest);
      assertThat(sha256(blobs.get(digest))).isEqualTo(digest);
    }
    assertThat(unauthorized).as("requests that reached the API without credentials").isEmpty();
    assertThat(steps).hasSizeGreaterThan(2).last().isEqualTo(100L);
    assertThat(steps).allMatch(p -> p >= 0 && p <= 100);
  }

  /** An image tarball in the docker save layout, built offline by Jib from scratch. */
  private Path imageTarball() throws Exception {
    Path model = Files.write(tmp.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});
    Path tar = tmp.resolve("image.tar");
    Jib.fromScratch()
        .addLayer(List.of(model), AbsoluteUnixPath.get("/opt/ml/model"))
        .setEntrypoint("/bin/serve")
        .containerize(
            Containerizer.to(TarImage.at(tar).named("snapserve/digits:1"))
                .setBaseImageLayersCache(tmp.resolve("base-cache"))
                .setApplicationLayersCache(tmp.resolve("app-cache")));
    return tar;
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
      // the challenge ECR answers with too
      if (!path.equals("/v2/")) unauthorized.add(method + " " + path);
      x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
      reply(x, 401, new byte[0]);
      return;
    }
    byte[] body = x.getRequestBody().readAllBytes();
    if (path.equals("/v2/")) {
      reply(x, 200, "{}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String rest = path.substring("/v2/".length());
    if (rest.contains("/blobs/uploads/")) {
      String repo = rest.substring(0, rest.indexOf("/blobs/uploads/"));
      String id = rest.substring(rest.indexOf("/blobs/uploads/") + "/blobs/uploads/".length());
      if (method.equals("POST")) {
        String newId = "u" + ids.incrementAndGet();
        uploads.put(newId, new java.io.ByteArrayOutputStream());
        x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + newId);
        reply(x, 202, new byte[0]);
        return;
      }
      java.io.ByteArrayOutputStream upload = uploads.get(id);
      upload.writeBytes(body);
      if (method.equals("PATCH")) {
        x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + id);
        x.getResponseHeaders().add("Range", "0-" + (upload.size() - 1));
        reply(x, 202, new byte[0]);
        return;
      }
      String digest = query(x, "digest");
      byte[] blob = upload.toByteArray();
      if (!digest.equals(sha256(blob))) {
        reply(x, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes());
        return;
      }
      blobs.put(digest, blob);
      x.getResponseHeaders().add("Docker-Content-Digest", digest);
      reply(x, 201, new byte[0]);
      return;
    }
    if (rest.contains("/blobs/")) {
      String digest = rest.substring(rest.lastIndexOf('/') + 1);
      byte[] blob = blobs.get(digest);
      if (blob == null) {
        reply(x, 404, new byte[0]);
        return;
      }
      x.getResponseHeaders().add("Docker-Content-Digest", digest);
      reply(x, 200, method.equals("HEAD") ? null : blob);
      return;
    }
    if (rest.contains("/manifests/")) {
      String repo = rest.substring(0, rest.indexOf("/manifests/"));
      String ref = rest.substring(rest.indexOf("/manifests/") + "/manifests/".length());
      if (method.equals("PUT")) {
        manifests.put(repo + ":" + ref, body);
        x.getResponseHeaders().add("Docker-Content-Digest", sha256(body));
        reply(x, 201, new byte[0]);
        return;
      }
      reply(x, 404, new byte[0]);
      return;
    }
    reply(x, 404, new byte[0]);
  }

  private static String query(HttpExchange x, String name) {
    for (String kv : String.valueOf(x.getRequestURI().getRawQuery()).split("&")) {
      if (kv.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
    x.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
    if (body == null) {
      x.sendResponseHeaders(status, -1);
    } else {
      x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) x.getResponseBody().write(body);
    }
    x.close();
  }

  private static String sha256(byte[] b) throws IOException {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}
