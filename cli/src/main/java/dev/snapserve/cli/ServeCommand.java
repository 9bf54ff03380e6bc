package dev.snapserve.cli;

import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.server.EndpointServer;
import dev.snapserve.server.Serve;
import dev.snapserve.server.ServerConfig;
import dev.snapserve.spec.DeploymentSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code snapserve serve}: the endpoint server, with exactly the routes that will be deployed. */
@Command(
    name = "serve",
    description = {
      "Serve models over HTTP with every snapserve route (/v1/predict, TF Serving, Open",
      "Inference Protocol v2, SageMaker /ping + /invocations) until Ctrl-C or SIGTERM."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin ModelOptions models;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description = {
        "Serve a deployment spec's routes (snapserve.yaml) as they will be deployed:",
        "its model versions, /vN/predict routes, canary and variant weights."
      })
  Path spec;

  @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "TCP port; 0 picks a free one (default: 8080).")
  Integer port;

  private final PrintStream out;

  ServeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> env = System.getenv();
    SnapserveConfig config = SnapserveConfig.fromEnv(env);
    ServerConfig server = ServerConfig.fromEnv(env);
    if (host != null) server = server.withHost(host);
    if (port != null) server = server.withPort(port);
    EndpointServer endpoint;
    if (spec != null) {
      if (models.given()) {
        throw new IllegalArgumentException("--spec names the models; drop --bundle/--model");
      }
      SpecServing serving = SpecServing.of(DeploymentSpec.load(spec));
      endpoint =
          Serve.start(
              serving.bundles(),
              config.withRouting(serving.routes(), config.versionLabels()),
              server,
              out);
    } else {
      endpoint = Serve.start(models.paths(), models.name, models.version, config, server, out);
    }
    endpoint.runUntilSignalled();
    return 0;
  }
}
