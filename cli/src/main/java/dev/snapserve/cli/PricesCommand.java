package dev.snapserve.cli;

import dev.snapserve.estimate.PriceCatalog;
import dev.snapserve.estimate.PriceRefresh;
import dev.snapserve.packager.internal.AtomicFiles;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.pricing.PricingClient;

/** {@code snapserve prices show|refresh}: the dated price catalog the estimator uses. */
@Command(
    name = "prices",
    description = "The dated price catalogs shipped with snapserve.",
    subcommands = {PricesCommand.Show.class, PricesCommand.Refresh.class})
final class PricesCommand implements Runnable {
  private final PrintStream out;

  PricesCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public void run() {
    throw new IllegalArgumentException(
        "give a subcommand: prices show [--region R] | prices refresh [--region R] [-o FILE]");
  }

  @Command(name = "show", description = "Print a region's price catalog (JSON) with its date.")
  static final class Show implements Runnable {
    @ParentCommand PricesCommand parent;

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

  @Command(
      name = "refresh",
      description = {
        "Pull current AWS prices with the Price List Query API (AWS credentials needed) and write",
        "a new dated catalog; entries not found there are kept from the shipped one and listed."
      })
  static final class Refresh implements Runnable {
    @ParentCommand PricesCommand parent;

    @Option(
        names = "--region",
        defaultValue = "us-east-1",
        description = "Region to price (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
        names = {"-o", "--output"},
        description = "The new catalog (default: REGION-DATE.json here).")
    Path file;

    @Option(names = "--force", description = "Replace an existing -o FILE.")
    boolean force;

    @Option(
        names = "--endpoint",
        description = "Price List API endpoint (default: AWS's, in us-east-1).")
    URI endpoint;

    @Override
    public void run() {
      PriceCatalog.requireRegion(region); // an unknown region: the valid ones, before any request
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Path target = file != null ? file : PriceRefresh.defaultOutput(region, today);
      PriceRefresh.checkNotShipped(target);
      AtomicFiles.checkCanWrite(target, force);
      PriceRefresh.Result r;
      try (PricingClient client = PriceRefresh.client(endpoint)) {
        r = PriceRefresh.refresh(region, client, today);
      }
      PrintStream out = parent.out;
      out.printf(
          "%d entries from the AWS Price List (%d differ from the shipped catalog)%n",
          r.refreshed().size(), r.changed().size());
      r.changed().forEach((k, v) -> out.println("  changed " + k + ": " + v));
      out.println("kept from the shipped catalog (not found in the Price List):");
      r.kept().forEach(k -> out.println("  " + k));
      String json = r.json();
      AtomicFiles.write(target, force, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
      out.println("wrote " + target);
    }
  }
}
