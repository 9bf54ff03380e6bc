package dev.snapserve.cli;

import dev.snapserve.aws.LocalContext;
import dev.snapserve.aws.PredictHandler;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.SnapserveConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the real Lambda handler class in-process on an event file, like {@code sam local invoke}.
 */
@Command(
    name = "invoke-lambda",
    description = {
      "Run the AWS Lambda handler (dev.snapserve.aws.PredictHandler) in-process on an event and",
      "print its response exactly as Lambda returns it. Exit code 0 when the handler ran,",
      "whatever the statusCode."
    })
final class InvokeLambdaCommand implements Callable<Integer> {
  @Mixin ModelOptions models;

  @Option(
      names = "--event",
      required = true,
      paramLabel = "FILE",
      description = "Event JSON (API Gateway v1/v2, Function URL or ALB); - reads standard input.")
  Path event;

  @Option(names = "--prime", description = "Prime before invoking, as SnapStart would.")
  boolean prime;

  private final PrintStream out;

  InvokeLambdaCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    byte[] eventBytes =
        event.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(event);
    SnapserveConfig config = SnapserveConfig.fromEnv(System.getenv());
    try (InferenceService service =
        InferenceService.create(config, models.load(config), RequestListener.FAILURES_TO_STDERR)) {
      if (prime) PredictHandler.prime(service, config.primeIterations());
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      new PredictHandler(service)
          .handleRequest(new ByteArrayInputStream(eventBytes), response, new LocalContext());
      out.println(response.toString(StandardCharsets.UTF_8));
    }
    return 0;
  }
}
