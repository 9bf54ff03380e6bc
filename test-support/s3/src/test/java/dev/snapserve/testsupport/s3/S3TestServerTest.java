package dev.snapserve.testsupport.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3TestServerTest {
  @Test
  void servesTheInitialBucketsOnLoopbackOnly() throws Exception {
    try (S3TestServer server = S3TestServer.start("alpha")) {
      URI endpoint = server.endpoint();
      HttpURLConnection list = (HttpURLConnection) endpoint.toURL().openConnection();
      assertThat(list.getResponseCode()).isEqualTo(200);
      String body = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(body).contains("<Name>alpha</Name>");
      for (InetAddress a : nonLoopbackAddresses()) {
        assertThatThrownBy(
                () -> {
                  try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, endpoint.getPort()), 500);
                  }
                })
            .as("connect to %s:%d", a, endpoint.getPort())
            .isInstanceOf(IOException.class);
      }
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .toList();
  }
}
