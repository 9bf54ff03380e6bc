package dev.snapserve.cli;

import dev.snapserve.estimate.ChartException;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.server.ServeException;
import dev.snapserve.spec.SpecException;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code snapserve} command: a thin front for the server, the Lambda invoker and tools. */
@Command(
    name = "snapserve",
    mixinStandardHelpOptions = true,
    version = "snapserve 0.1.0",
    description =
        "Ship ONNX models as serverless inference on AWS Lambda, Cloud Functions and endpoints.")
public final class SnapserveCli {
  private SnapserveCli() {}

  public static void main(String[] args) {
    // no command opens a window: charts draw on images, and a DISPLAY left set (e.g. by an old
    // ssh -X session) must not make AWT connect to an X server that is gone (AWTError)
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    System.exit(run(System.out, System.err, args));
  }

  /** Runs a command line; returns the exit code (tests call this). */
  static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, System.getenv(), args);
  }

  /**
   * As {@link #run(PrintStream, PrintStream, String...)}, publishing with AWS settings {@code env}.
   */
  static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    CommandLine cli =
        new CommandLine(new SnapserveCli())
            .addSubcommand(new ServeCommand(out))
            .addSubcommand(new InvokeLambdaCommand(out))
            .addSubcommand(new InspectCommand(out))
            .addSubcommand(new OptimizeCommand(out))
            .addSubcommand(new VerifyCommand(out, err))
            .addSubcommand(new QuantizeCommand(out, err))
            .addSubcommand(new PackageCommand(out, err))
            .addSubcommand(new ImageCommand(out, err))
            .addSubcommand(new PublishCommand(out, err, env))
            .addSubcommand(new EstimateCommand(out, err))
            .addSubcommand(new PricesCommand(out))
            .setOut(new java.io.PrintWriter(out, true))
            .setErr(new java.io.PrintWriter(err, true))
            .setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                  // user errors are one clear line, never a stack trace
                  if (e instanceof SnapserveException
                      || e instanceof ServeException
                      || e instanceof PackagerException
                      || e instanceof SpecException
                      || e instanceof IllegalArgumentException) {
                    err.println("snapserve: " + e.getMessage());
                    return 2;
                  }
                  if (e instanceof ChartException) { // the machine, not the input: one line too
                    err.println("snapserve: " + e.getMessage());
                    return 1;
                  }
                  throw e;
                });
    addHelpOption(cli);
    return cli.execute(args);
  }

  /**
   * {@code -h, --help} on every subcommand, at any depth. Not picocli's inherited standard help
   * options: their {@code --version} would clash with the model {@code --version} of several.
   */
  private static void addHelpOption(CommandLine command) {
    var options = command.getCommandSpec().optionsMap();
    if (!options.containsKey("--help") && !options.containsKey("-h")) {
      command
          .getCommandSpec()
          .addOption(
              OptionSpec.builder("-h", "--help")
                  .usageHelp(true)
                  .description("Show this help message and exit.")
                  .build());
    }
    command.getSubcommands().values().forEach(SnapserveCli::addHelpOption);
  }
}
