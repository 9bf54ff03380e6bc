package dev.snapserve.gcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.PackageVersion;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Test-only function for {@link FunctionsFrameworkIT}: reports, from inside the real invoker, which
 * jackson-core the function's classes link against and whether the invoker's own Jetty is visible
 * to them. One {@code key=value} per line.
 */
public final class ClassLoadingProbe implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    ClassLoader loader = ClassLoadingProbe.class.getClassLoader();
    String report =
        "jackson-core="
            + PackageVersion.VERSION
            + "\njackson-core-source="
            + JsonFactory.class.getProtectionDomain().getCodeSource().getLocation()
            + "\nfast-double-parser="
            + JsonFactory.builder()
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build()
                .isEnabled(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            + "\nfunction-loader="
            + loader.getClass().getName()
            + "\njetty-visible="
            + visible("org.eclipse.jetty.server.Server", loader)
            + "\n";
    response.setContentType("text/plain");
    response.getOutputStream().write(report.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean visible(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
