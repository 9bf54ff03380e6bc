package dev.snapserve.cli;

import dev.snapserve.estimate.PriceCatalog;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code snapserve prices show}: the dated price catalog the estimator uses. */
@Command(
    name = "prices",
    description = "The dated price catalogs shipped with snapserve.",
    subcommands = {PricesCommand.Show.class})
final class PricesCommand implements Runnable {
  private final PrintStream out;

  PricesCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public void run() {
    throw new IllegalArgumentException("give a subcommand: prices show [--region R]");
  }

  @Command(name = "show", description = "Print a region's price catalog (JSON) with its date.")
  static final class Show implements Runnable {
    @picocli.CommandLine.ParentCommand PricesCommand parent;

    @Option(
        names = "--region",
        defaultValue = "us-east-1",
        description = "Default: ${DEFAULT-VALUE}.")
    String region;

    @Override
    public void run() {
      JsonOutput.print(parent.out, PriceCatalog.load(region).json());
    }
  }
}
