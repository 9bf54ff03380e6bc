package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Fmt.num;
import static dev.snapserve.estimate.internal.Fmt.price;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.estimate.internal.Tiers;
import dev.snapserve.estimate.internal.Tiers.Piece;
import dev.snapserve.spec.Target;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prices a month of usage against one region's {@link PriceCatalog}. Each call adds line items (and
 * the assumptions behind them); {@link #estimate()} sums them. All arithmetic is exact {@link
 * BigDecimal}; only the total is rounded, to cents.
 *
 * <pre>{@code
 * Estimate e = new Estimator(PriceCatalog.load("us-east-1"))
 *     .lambda(LambdaUsage.onDemand(1536, Architecture.X86_64, 3_000_000, 120).withFreeTier(true))
 *     .estimate(); // $2.73
 * }</pre>
 */
public final class Estimator {
  public static final String LAMBDA = "AWS Lambda";
  public static final String API_GATEWAY = "Amazon API Gateway";
  public static final String SAGEMAKER = "Amazon SageMaker";
  public static final String LOGS = "Amazon CloudWatch Logs";
  public static final String DATA_TRANSFER = "AWS Data Transfer";
  public static final String CLOUD_FUNCTIONS = "Google Cloud Functions";

  /** Runtimes {@code --runtime} accepts; SnapStart is free only on Java. */
  public static final Set<String> RUNTIMES =
      Set.of("java21", "java17", "java11", "python3.12", "python3.13", "dotnet8");

  /** API Gateway flavours. */
  public enum ApiType {
    HTTP,
    REST
  }

  private static final BigDecimal MIB_PER_GB = BigDecimal.valueOf(1024);
  private static final BigDecimal MS_PER_S = BigDecimal.valueOf(1000);
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
  private static final BigDecimal KIB_PER_GIB = BigDecimal.valueOf(1L << 20);

  private final PriceCatalog catalog;
  private final List<LineItem> items = new ArrayList<>();
  private final List<String> assumptions = new ArrayList<>();

  public Estimator(PriceCatalog catalog) {
    this.catalog = catalog;
  }

  public PriceCatalog catalog() {
    return catalog;
  }

  /** The bill so far. */
  public Estimate estimate() {
    return Estimate.of(items, assumptions, catalog);
  }

  /** Records an assumption the caller made, shown with the estimate. */
  public Estimator assume(String assumption) {
    assumptions.add(assumption);
    return this;
  }

  // ---------------------------------------------------------------- Lambda

  /** A Lambda function: requests, duration by tier, ephemeral storage, provisioned, SnapStart. */
  public Estimator lambda(LambdaUsage u) {
    String fn = "lambda";
    if (u.memoryMiB() < Target.MIN_MEMORY_MIB || u.memoryMiB() > Target.MAX_MEMORY_MIB) {
      throw new EstimateException(
          fn + " memory: " + u.memoryMiB() + " MiB is outside Lambda's 128-10240 MiB");
    }
    if (u.ephemeralMiB() < Target.MIN_EPHEMERAL_MIB
        || u.ephemeralMiB() > Target.MAX_EPHEMERAL_MIB) {
      throw new EstimateException(
          fn
              + " ephemeral storage: "
              + u.ephemeralMiB()
              + " MiB is outside "
              + Target.MIN_EPHEMERAL_MIB
              + "-"
              + Target.MAX_EPHEMERAL_MIB
              + " MiB");
    }
    nonNegative("requests", u.requests());
    nonNegative("duration-ms", u.durationMs());
    nonNegative("provisioned-concurrency", u.provisionedConcurrency());
    nonNegative("provisioned-hours", u.provisionedHours());
    nonNegative("provisioned-requests", u.provisionedRequests());
    nonNegative("provisioned-duration-ms", u.provisionedDurationMs());
    nonNegative("snapstart-restores", u.snapStartRestores());
    nonNegative("snapstart-hours", u.snapStartActiveHours());
    atMostAMonth("provisioned-hours", u.provisionedHours());
    atMostAMonth("snapstart-hours", u.snapStartActiveHours());
    if (u.provisionedConcurrency() == 0
        && (u.provisionedRequests() > 0 || u.provisionedDurationMs() > 0)) {
      throw new EstimateException(
          "provisioned requests or duration without provisioned concurrency: give the concurrency,"
              + " or price those requests as on-demand");
    }
    if (u.snapStart() && !RUNTIMES.contains(u.runtime())) {
      throw new EstimateException(
          "runtime '"
              + u.runtime()
              + "' is not one of "
              + String.join(", ", new TreeSet<>(RUNTIMES)));
    }
    if (u.snapStart() && u.provisionedConcurrency() > 0) {
      throw new EstimateException(
          "Lambda does not allow SnapStart together with provisioned concurrency; choose one");
    }
    String arch = u.architecture().id();
    BigDecimal memGb = BigDecimal.valueOf(u.memoryMiB()).divide(MIB_PER_GB);
    JsonNode lambda = catalog.node("lambda");
    BigDecimal requestPrice = catalog.price("lambda.requestPerMillion");

    // on-demand requests: the free tier covers only these, never the provisioned portion
    BigDecimal requests = count(u.requests());
    BigDecimal freeRequests =
        u.freeTier() ? catalog.price("lambda.freeTier.requests") : BigDecimal.ZERO;
    BigDecimal billableRequests = minusFree(requests, freeRequests);
    // a function on provisioned concurrency with no on-demand requests gets no on-demand lines
    boolean onDemandLines = requests.signum() > 0 || u.provisionedConcurrency() == 0;
    if (onDemandLines) {
      items.add(
          LineItem.of(
              LAMBDA,
              "Requests (on-demand)",
              millions(billableRequests),
              "million requests",
              requestPrice,
              counted(requests, "request")
                  + freeText(freeRequests, requests, "requests")
                  + " = "
                  + num(millions(billableRequests))
                  + " million x "
                  + price(requestPrice)));
    }

    BigDecimal billedMs = ceilMs(u.durationMs());
    BigDecimal gbSeconds = requests.multiply(billedMs).divide(MS_PER_S).multiply(memGb);
    BigDecimal freeGbs =
        u.freeTier() ? catalog.price("lambda.freeTier.gbSeconds") : BigDecimal.ZERO;
    BigDecimal billableGbs = minusFree(gbSeconds, freeGbs);
    String derivation =
        num(requests)
            + " x "
            + num(billedMs)
            + " ms (rounded up to 1 ms) x "
            + num(memGb)
            + " GB = "
            + num(gbSeconds)
            + " GB-s"
            + freeText(freeGbs, gbSeconds, "GB-s");
    if (onDemandLines) {
      tiered(
          LAMBDA,
          "Duration (" + arch + ")",
          billableGbs,
          "GB-s",
          Tiers.read(lambda.path("durationGbSecond").path(arch), "price"),
          derivation);
    }
    if (u.freeTier()) {
      assumptions.add(
          "Lambda free tier (1M requests, 400,000 GB-s a month) applied to on-demand usage only");
    }

    BigDecimal provisionedGbsOfInvocations = BigDecimal.ZERO;
    BigDecimal provisionedBilledMs = ceilMs(u.provisionedDurationMs());
    if (u.provisionedConcurrency() > 0) {
      BigDecimal seconds = BigDecimal.valueOf(u.provisionedHours()).multiply(SECONDS_PER_HOUR);
      BigDecimal configured =
          BigDecimal.valueOf(u.provisionedConcurrency()).multiply(memGb).multiply(seconds);
      BigDecimal pcPrice = catalog.price("lambda.provisioned." + arch + ".concurrencyGbSecond");
      items.add(
          LineItem.of(
              LAMBDA,
              "Provisioned concurrency (" + arch + ")",
              configured,
              "GB-s",
              pcPrice,
              u.provisionedConcurrency()
                  + " concurrency x "
                  + num(memGb)
                  + " GB x "
                  + num(BigDecimal.valueOf(u.provisionedHours()))
                  + " h x 3,600 s = "
                  + num(configured)
                  + " GB-s x "
                  + price(pcPrice)));
      BigDecimal pRequests = count(u.provisionedRequests());
      items.add(
          LineItem.of(
              LAMBDA,
              "Requests (provisioned concurrency)",
              millions(pRequests),
              "million requests",
              requestPrice,
              counted(pRequests, "request")
                  + " (no free tier) x "
                  + price(requestPrice)
                  + " per million"));
      provisionedGbsOfInvocations =
          pRequests.multiply(provisionedBilledMs).divide(MS_PER_S).multiply(memGb);
      BigDecimal pdPrice = catalog.price("lambda.provisioned." + arch + ".durationGbSecond");
      items.add(
          LineItem.of(
              LAMBDA,
              "Duration (provisioned concurrency, " + arch + ")",
              provisionedGbsOfInvocations,
              "GB-s",
              pdPrice,
              num(pRequests)
                  + " x "
                  + num(provisionedBilledMs)
                  + " ms x "
                  + num(memGb)
                  + " GB = "
                  + num(provisionedGbsOfInvocations)
                  + " GB-s x "
                  + price(pdPrice)));
    }

    int freeEphemeral = lambda.path("freeEphemeralMiB").asInt();
    if (u.ephemeralMiB() > freeEphemeral) {
      BigDecimal extraGb = BigDecimal.valueOf(u.ephemeralMiB() - freeEphemeral).divide(MIB_PER_GB);
      BigDecimal seconds =
          requests
              .multiply(billedMs)
              .add(count(u.provisionedRequests()).multiply(provisionedBilledMs))
              .divide(MS_PER_S);
      BigDecimal gbs = extraGb.multiply(seconds);
      BigDecimal p = catalog.price("lambda.ephemeralGbSecond");
      items.add(
          LineItem.of(
              LAMBDA,
              "Ephemeral storage above " + freeEphemeral + " MB",
              gbs,
              "GB-s",
              p,
              "("
                  + u.ephemeralMiB()
                  + " - "
                  + freeEphemeral
                  + ") MB = "
                  + num(extraGb)
                  + " GB x "
                  + num(seconds)
                  + " billed s = "
                  + num(gbs)
                  + " GB-s x "
                  + price(p)));
    }

    if (u.snapStart()) snapStart(u, memGb);
    return this;
  }

  private void snapStart(LambdaUsage u, BigDecimal memGb) {
    if (u.runtime().startsWith("java")) {
      assumptions.add(
          "SnapStart on " + u.runtime() + ": Java functions pay no cache or restore charge");
      return;
    }
    BigDecimal minimum = catalog.price("lambda.snapStart.minimumCacheSeconds");
    BigDecimal active = BigDecimal.valueOf(u.snapStartActiveHours()).multiply(SECONDS_PER_HOUR);
    BigDecimal cached = active.max(minimum);
    BigDecimal cacheGbs = memGb.multiply(cached);
    BigDecimal cachePrice = catalog.price("lambda.snapStart.cacheGbSecond");
    items.add(
        LineItem.of(
            LAMBDA,
            "SnapStart cache (" + u.runtime() + ")",
            cacheGbs,
            "GB-s",
            cachePrice,
            num(memGb)
                + " GB x "
                + num(cached)
                + " s cached"
                + (active.compareTo(minimum) < 0 ? " (3-hour minimum)" : "")
                + " = "
                + num(cacheGbs)
                + " GB-s x "
                + price(cachePrice)));
    BigDecimal restoredGb = count(u.snapStartRestores()).multiply(memGb);
    BigDecimal restorePrice = catalog.price("lambda.snapStart.restoreGb");
    items.add(
        LineItem.of(
            LAMBDA,
            "SnapStart restore (" + u.runtime() + ")",
            restoredGb,
            "GB restored",
            restorePrice,
            counted(count(u.snapStartRestores()), "restore")
                + " x "
                + num(memGb)
                + " GB = "
                + num(restoredGb)
                + " GB x "
                + price(restorePrice)));
    assumptions.add(
        "SnapStart ("
            + u.runtime()
            + "): cache billed for "
            + num(BigDecimal.valueOf(u.snapStartActiveHours()))
            + " active hours (3-hour minimum), "
            + counted(count(u.snapStartRestores()), "restore"));
  }

  // ---------------------------------------------------------------- API Gateway

  /**
   * API Gateway requests. HTTP APIs meter each request in 512 KB units ({@code payloadKb} is the
   * request size); REST APIs count requests. The 12-month free tier for new accounts is not
   * applied.
   */
  public Estimator api(ApiType type, double requests, double payloadKb) {
    return api(type, requests, payloadKb, false);
  }

  /**
   * As {@link #api(ApiType, double, double)}; with {@code freeTier} the 12-month free tier of a new
   * account (1M calls a month of each API type) is deducted from the metered requests.
   */
  public Estimator api(ApiType type, double requests, double payloadKb, boolean freeTier) {
    nonNegative("requests", requests);
    nonNegative("payload-kb", payloadKb);
    BigDecimal n = count(requests);
    String derivation;
    BigDecimal metered;
    List<Tiers.Tier> tiers;
    if (type == ApiType.HTTP) {
      BigDecimal unitKb = catalog.price("apiGateway.http.meteringKb");
      BigDecimal units =
          BigDecimal.valueOf(payloadKb).divide(unitKb, 0, RoundingMode.CEILING).max(BigDecimal.ONE);
      metered = n.multiply(units);
      derivation =
          counted(n, "request")
              + " x "
              + num(units)
              + " (each "
              + num(unitKb)
              + " KB of a "
              + num(BigDecimal.valueOf(payloadKb))
              + " KB request is one request) = "
              + num(metered)
              + " metered requests";
      tiers = Tiers.read(catalog.node("apiGateway.http.tiers"), "pricePerMillion");
    } else {
      metered = n;
      derivation = counted(n, "request");
      tiers = Tiers.read(catalog.node("apiGateway.rest.tiers"), "pricePerMillion");
    }
    // tiers are in requests, prices per million: price each piece in millions
    List<Tiers.Tier> perMillion =
        tiers.stream()
            .map(t -> new Tiers.Tier(t.upTo() == null ? null : millions(t.upTo()), t.price()))
            .toList();
    BigDecimal free = freeTier ? catalog.price("apiGateway.freeTier.requests") : BigDecimal.ZERO;
    tiered(
        API_GATEWAY,
        (type == ApiType.HTTP ? "HTTP API" : "REST API") + " requests",
        millions(minusFree(metered, free)),
        "million requests",
        perMillion,
        derivation + freeText(free, metered, "requests"));
    assumptions.add(
        freeTier
            ? "API Gateway free tier applied: 1M calls a month, for a new account's first 12 months"
            : "API Gateway 12-month free tier (new accounts) not applied");
    return this;
  }

  // ---------------------------------------------------------------- SageMaker

  /** A real-time endpoint: instance-hours of one type. */
  public Estimator sagemaker(String instanceType, double instances, double hours) {
    return sagemaker(instanceType, instances, hours, "");
  }

  /** A real-time endpoint's production variant {@code variant} (named in the line item). */
  public Estimator sagemaker(String instanceType, double instances, double hours, String variant) {
    BigDecimal p = catalog.instanceHourPrice(instanceType); // an unknown type: the priced ones
    nonNegative("instances", instances);
    nonNegative("hours", hours);
    atMostAMonth("hours", hours);
    BigDecimal instanceHours = BigDecimal.valueOf(instances).multiply(BigDecimal.valueOf(hours));
    items.add(
        LineItem.of(
            SAGEMAKER,
            instanceType
                + " real-time inference"
                + (variant.isEmpty() ? "" : " (variant " + variant + ")"),
            instanceHours,
            "instance-hours",
            p,
            counted(BigDecimal.valueOf(instances), "instance")
                + " x "
                + num(BigDecimal.valueOf(hours))
                + " h = "
                + num(instanceHours)
                + " instance-hours x "
                + price(p)));
    return this;
  }

  /** Data processed in and out of an endpoint (real-time or serverless), GB. */
  public Estimator sagemakerData(double gbIn, double gbOut) {
    nonNegative("data-in-gb", gbIn);
    nonNegative("data-out-gb", gbOut);
    BigDecimal p = catalog.price("sagemaker.dataProcessedGb");
    for (var io : List.of(new Object[] {"in", gbIn}, new Object[] {"out", gbOut})) {
      BigDecimal gb = BigDecimal.valueOf((Double) io[1]);
      if (gb.signum() == 0) continue;
      items.add(
          LineItem.of(
              SAGEMAKER, "Data processed " + io[0], gb, "GB", p, num(gb) + " GB x " + price(p)));
    }
    return this;
  }

  /** A serverless endpoint: compute GB-s by configured memory (1-6 GB), billed per ms. */
  public Estimator sagemakerServerless(int memoryMiB, double requests, double durationMs) {
    if (!Target.SERVERLESS_MEMORY_MIB.contains(memoryMiB)) {
      throw new EstimateException(
          "serverless memory: "
              + memoryMiB
              + " MiB is not one of "
              + Target.SERVERLESS_MEMORY_MIB.stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.joining(", ")));
    }
    nonNegative("requests", requests);
    nonNegative("duration-ms", durationMs);
    BigDecimal memGb = BigDecimal.valueOf(memoryMiB).divide(MIB_PER_GB);
    BigDecimal n = count(requests);
    BigDecimal ms = ceilMs(durationMs);
    BigDecimal gbs = n.multiply(ms).divide(MS_PER_S).multiply(memGb);
    BigDecimal p = catalog.price("sagemaker.serverlessGbSecond");
    items.add(
        LineItem.of(
            SAGEMAKER,
            "Serverless inference (" + memoryMiB + " MB)",
            gbs,
            "GB-s",
            p,
            num(n)
                + " x "
                + num(ms)
                + " ms x "
                + num(memGb)
                + " GB = "
                + num(gbs)
                + " GB-s x "
                + price(p)));
    return this;
  }

  // ---------------------------------------------------------------- logs, data transfer

  /** CloudWatch Logs ingestion, GB. */
  public Estimator logs(double gb) {
    return logs(gb, false);
  }

  /** CloudWatch Logs ingestion, GB; with {@code freeTier} less the always-free 5 GB a month. */
  public Estimator logs(double gb, boolean freeTier) {
    nonNegative("logs-gb", gb);
    BigDecimal q = BigDecimal.valueOf(gb);
    BigDecimal free = freeTier ? catalog.price("cloudwatchLogs.freeGb") : BigDecimal.ZERO;
    BigDecimal p = catalog.price("cloudwatchLogs.ingestionGb");
    BigDecimal billable = minusFree(q, free);
    items.add(
        LineItem.of(
            LOGS,
            "Log ingestion",
            billable,
            "GB",
            p,
            free.signum() == 0
                ? num(q) + " GB x " + price(p)
                : num(q)
                    + " GB"
                    + freeText(free, q, "GB")
                    + "; "
                    + num(billable)
                    + " GB x "
                    + price(p)));
    return this;
  }

  /** Data transfer out to the internet, GB, by monthly tiers (100 GB free only with free tier). */
  public Estimator dataTransferOut(double gb, boolean freeTier) {
    nonNegative("transfer-out-gb", gb);
    BigDecimal q = BigDecimal.valueOf(gb);
    BigDecimal free = freeTier ? catalog.price("dataTransferOut.freeGb") : BigDecimal.ZERO;
    tiered(
        DATA_TRANSFER,
        "Data transfer out to the internet",
        minusFree(q, free),
        "GB",
        Tiers.read(catalog.node("dataTransferOut.tiers"), "price"),
        num(q) + " GB" + freeText(free, q, "GB"));
    return this;
  }

  // ---------------------------------------------------------------- Cloud Functions

  /** A Cloud Function, gen1 (GB-s + GHz-s) or gen2 (Cloud Run vCPU-s + GiB-s), 100 ms rounding. */
  public Estimator gcf(GcfUsage u) {
    if (u.generation() != 1 && u.generation() != 2) {
      throw new EstimateException("generation: " + u.generation() + " is not 1 or 2");
    }
    nonNegative("invocations", u.invocations());
    nonNegative("duration-ms", u.durationMs());
    nonNegative("egress-kb", u.egressKb());
    String gen = "gen" + u.generation();
    JsonNode g = catalog.node("cloudFunctions." + gen);
    BigDecimal cpu = null;
    List<String> allowed = new ArrayList<>();
    String cpuField = u.generation() == 1 ? "ghz" : "vcpu";
    for (JsonNode t : g.path(u.generation() == 1 ? "memoryTiers" : "cpuByMemory")) {
      allowed.add(t.path("memoryMiB").asText());
      if (t.path("memoryMiB").asInt() == u.memoryMiB())
        cpu = new BigDecimal(t.path(cpuField).asText());
    }
    if (cpu == null) {
      throw new EstimateException(
          "Cloud Functions "
              + gen
              + " memory: "
              + u.memoryMiB()
              + " MiB is not one of "
              + String.join(", ", allowed));
    }
    String p = "cloudFunctions." + gen + ".";
    JsonNode free = g.path("freeTier");
    BigDecimal n = count(u.invocations());
    BigDecimal increment = catalog.price(p + "billingIncrementMs");
    BigDecimal billedMs =
        BigDecimal.valueOf(u.durationMs())
            .divide(increment, 0, RoundingMode.CEILING)
            .multiply(increment);
    BigDecimal seconds = n.multiply(billedMs).divide(MS_PER_S);
    BigDecimal memGb = BigDecimal.valueOf(u.memoryMiB()).divide(MIB_PER_GB);
    String timing =
        num(n) + " x " + num(billedMs) + " ms (rounded up to 100 ms) = " + num(seconds) + " s";

    String invField = u.generation() == 1 ? "invocations" : "requests";
    BigDecimal freeInv = freeOf(u.freeTier(), free, invField);
    BigDecimal invPrice =
        catalog.price(p + (u.generation() == 1 ? "invocationPerMillion" : "requestPerMillion"));
    BigDecimal billableInv = minusFree(n, freeInv);
    items.add(
        LineItem.of(
            CLOUD_FUNCTIONS,
            gen + " invocations",
            millions(billableInv),
            "million invocations",
            invPrice,
            counted(n, "invocation")
                + freeText(freeInv, n, "")
                + " x "
                + price(invPrice)
                + " per million"));

    if (u.generation() == 1) {
      usageItem(
          gen + " memory",
          seconds.multiply(memGb),
          "GB-s",
          freeOf(u.freeTier(), free, "gbSeconds"),
          catalog.price(p + "gbSecond"),
          timing + " x " + num(memGb) + " GB");
      usageItem(
          gen + " CPU",
          seconds.multiply(cpu),
          "GHz-s",
          freeOf(u.freeTier(), free, "ghzSeconds"),
          catalog.price(p + "ghzSecond"),
          timing + " x " + num(cpu) + " GHz");
    } else {
      usageItem(
          gen + " CPU",
          seconds.multiply(cpu),
          "vCPU-s",
          freeOf(u.freeTier(), free, "vcpuSeconds"),
          catalog.price(p + "vcpuSecond"),
          timing + " x " + num(cpu) + " vCPU");
      usageItem(
          gen + " memory",
          seconds.multiply(memGb),
          "GiB-s",
          freeOf(u.freeTier(), free, "gibSeconds"),
          catalog.price(p + "gibSecond"),
          timing + " x " + num(memGb) + " GiB");
    }
    if (u.egressKb() > 0) {
      BigDecimal gb = n.multiply(BigDecimal.valueOf(u.egressKb())).divide(KIB_PER_GIB);
      usageItem(
          gen + " network egress",
          gb,
          "GB",
          freeOf(u.freeTier(), free, "egressGb"),
          catalog.price(p + "egressGb"),
          num(n) + " x " + num(BigDecimal.valueOf(u.egressKb())) + " KB");
    }
    assumptions.add(
        "Cloud Functions priced at Tier 1 rates in "
            + catalog.node("cloudFunctions.gcpRegion").asText()
            + (u.freeTier() ? ", free tier applied" : ", no free tier"));
    return this;
  }

  private void usageItem(
      String item,
      BigDecimal quantity,
      String unit,
      BigDecimal free,
      BigDecimal unitPrice,
      String how) {
    BigDecimal billable = minusFree(quantity, free);
    items.add(
        LineItem.of(
            CLOUD_FUNCTIONS,
            item,
            billable,
            unit,
            unitPrice,
            how
                + " = "
                + num(quantity)
                + " "
                + unit
                + freeText(free, quantity, unit)
                + " x "
                + price(unitPrice)));
  }

  private static BigDecimal freeOf(boolean freeTier, JsonNode free, String field) {
    return freeTier ? new BigDecimal(free.path(field).asText("0")) : BigDecimal.ZERO;
  }

  // ---------------------------------------------------------------- helpers

  /** Adds one line per tier the quantity reaches; the first carries the derivation. */
  private void tiered(
      String service,
      String item,
      BigDecimal quantity,
      String unit,
      List<Tiers.Tier> tiers,
      String derivation) {
    List<Piece> pieces = Tiers.split(quantity, tiers);
    boolean crossed = pieces.size() > 1;
    for (Piece piece : pieces) {
      String range =
          "tier "
              + piece.number()
              + " ("
              + num(piece.from())
              + (piece.to() == null ? "+" : "-" + num(piece.to()))
              + " "
              + unit
              + ")";
      String formula =
          (piece == pieces.getFirst() ? derivation + "; " : "")
              + (crossed || piece.number() > 1 ? range + ": " : "")
              + num(piece.quantity())
              + " "
              + unit
              + " x "
              + price(piece.price());
      items.add(
          LineItem.of(
              service,
              crossed ? item + ", " + range : item,
              piece.quantity(),
              unit,
              piece.price(),
              formula));
    }
  }

  private static String freeText(BigDecimal free, BigDecimal total, String unit) {
    if (free.signum() == 0) return "";
    BigDecimal used = free.min(total);
    return " - " + num(used) + (unit.isEmpty() ? "" : " " + unit) + " free tier";
  }

  private static BigDecimal minusFree(BigDecimal quantity, BigDecimal free) {
    return quantity.subtract(free).max(BigDecimal.ZERO);
  }

  private static BigDecimal millions(BigDecimal n) {
    return n.movePointLeft(6);
  }

  private static BigDecimal ceilMs(double ms) {
    return BigDecimal.valueOf(ms).setScale(0, RoundingMode.CEILING);
  }

  /** Request counts are whole: a fractional share of traffic rounds to the nearest request. */
  private static BigDecimal count(double n) {
    return BigDecimal.valueOf(n).setScale(0, RoundingMode.HALF_UP);
  }

  /** {@code 1 request}, {@code 2 requests}, {@code 1.5 requests}. */
  private static String counted(BigDecimal n, String noun) {
    return num(n) + " " + noun + (n.compareTo(BigDecimal.ONE) == 0 ? "" : "s");
  }

  /** Hours of a configuration within one month: at most 31 days. */
  private static void atMostAMonth(String what, double hours) {
    if (hours > 744) {
      throw new EstimateException(what + ": " + hours + " h is more than a month has (744 h)");
    }
  }

  private static void nonNegative(String field, double value) {
    if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new EstimateException(
          field
              + ": must be a non-negative number, got "
              + String.format(Locale.ROOT, "%s", value));
    }
  }
}
