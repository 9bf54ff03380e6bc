package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Mappers.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.estimate.internal.PriceListProduct;
import dev.snapserve.estimate.internal.PriceListProduct.Dimension;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;

/**
 * {@code snapserve prices refresh}: a new dated catalog of one region from the AWS Price List Query
 * API ({@code GetProducts}). It starts from the shipped catalog and replaces every entry it finds
 * in the Price List; the rest (SnapStart, Cloud Functions, anything not found) are kept and listed.
 * Needs {@code software.amazon.awssdk:pricing} and {@code url-connection-client} on the class path
 * (optional dependencies of this module, so the estimator alone needs no cloud SDK).
 */
public final class PriceRefresh {
  /** Where the Price List Query API is served (it also answers in eu-central-1 and ap-south-1). */
  public static final Region PRICING_REGION = Region.US_EAST_1;

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Entries the AWS Price List cannot hold or that this refresh does not look up. */
  private static final List<String> NEVER_REFRESHED =
      List.of(
          "lambda.snapStart.cacheGbSecond",
          "lambda.snapStart.restoreGb",
          "cloudFunctions (Google Cloud prices, not in the AWS Price List)");

  private PriceRefresh() {}

  /**
   * The refreshed catalog, the entries taken from the Price List (path to new value as text) and
   * the entries kept from the shipped catalog.
   */
  public record Result(
      ObjectNode catalog,
      Map<String, String> refreshed,
      Map<String, String> changed,
      List<String> kept) {
    public String json() {
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(catalog) + "\n";
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * The sync client over HttpURLConnection with the default credential chain, at the Pricing API's
   * endpoint in {@link #PRICING_REGION} or at {@code endpoint} when not null.
   */
  public static PricingClient client(URI endpoint) {
    var b =
        PricingClient.builder()
            .region(PRICING_REGION)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) b.endpointOverride(endpoint);
    return b.build();
  }

  /** The default output name: {@code REGION-DATE.json}, never a shipped resource's name. */
  public static Path defaultOutput(String region, LocalDate date) {
    return Path.of(region + "-" + date + ".json");
  }

  /**
   * Refuses to write over a shipped catalog ({@code .../dev/snapserve/estimate/prices/*.json}):
   * refreshed prices are a new dated file, the shipped one stays what the tests were written for.
   */
  public static void checkNotShipped(Path out) {
    Path p = out.toAbsolutePath().normalize();
    if (p.getParent() != null
        && p.getParent().endsWith(Path.of("dev", "snapserve", "estimate", "prices"))) {
      throw new EstimateException(
          out + " is a shipped price catalog; write the refreshed one to a new file (-o)");
    }
  }

  /** Refreshes the catalog of {@code region} (one of {@link PriceCatalog#REGIONS}). */
  public static Result refresh(String region, PricingClient client, LocalDate today) {
    PriceCatalog shipped = PriceCatalog.load(region); // an unknown region lists the valid ones
    ObjectNode catalog = (ObjectNode) shipped.json();
    List<Rule> rules = rules(shipped);
    Map<String, List<PriceListProduct>> products = new LinkedHashMap<>();
    for (Rule r : rules) {
      products.computeIfAbsent(r.serviceCode, code -> fetch(client, code, region));
    }
    Map<String, String> refreshed = new LinkedHashMap<>();
    Map<String, String> changed = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    for (Rule r : rules) {
      JsonNode value =
          products.get(r.serviceCode).stream()
              .filter(r.match)
              .filter(p -> !p.dimensions().isEmpty())
              .findFirst()
              .map(p -> r.value.apply(p.dimensions()))
              .orElse(null);
      String name = String.join(".", r.path);
      if (value == null) {
        kept.add(name);
        continue;
      }
      ObjectNode parent = catalog;
      for (String part : r.path.subList(0, r.path.size() - 1))
        parent = (ObjectNode) parent.get(part);
      String leaf = r.path.getLast();
      JsonNode old = parent.get(leaf);
      if (!sameValue(old, value)) changed.put(name, text(old) + " -> " + text(value));
      parent.set(leaf, value);
      refreshed.put(name, text(value));
    }
    kept.addAll(NEVER_REFRESHED);
    String shippedDate = shipped.date();
    catalog.put("date", today.toString());
    catalog.put(
        "source",
        "AWS Price List Query API (GetProducts, on-demand terms) on "
            + today
            + " for the AWS prices; entries listed under 'kept' come from the shipped catalog dated "
            + shippedDate);
    catalog.put("refreshedFrom", shippedDate);
    ArrayNode k = catalog.putArray("kept");
    kept.forEach(k::add);
    return new Result(catalog, refreshed, changed, List.copyOf(kept));
  }

  private static List<PriceListProduct> fetch(
      PricingClient client, String serviceCode, String region) {
    List<Filter> filters = new ArrayList<>();
    // data transfer is keyed by where it leaves from, not by a regionCode
    String regionField = serviceCode.equals(DATA_TRANSFER) ? "fromRegionCode" : "regionCode";
    filters.add(term(regionField, region));
    switch (serviceCode) {
      case API_GATEWAY -> filters.add(term("productFamily", "API Calls"));
      case CLOUDWATCH -> filters.add(term("productFamily", "Data Payload"));
      case DATA_TRANSFER -> filters.add(term("transferType", "AWS Outbound"));
      default -> {}
    }
    GetProductsRequest req =
        GetProductsRequest.builder()
            .serviceCode(serviceCode)
            .formatVersion("aws_v1")
            .filters(filters)
            .maxResults(100)
            .build();
    List<PriceListProduct> out = new ArrayList<>();
    try {
      client.getProductsPaginator(req).priceList().forEach(s -> out.add(PriceListProduct.parse(s)));
    } catch (SdkException e) {
      // no credentials, no network, access denied: the user's to fix, in one short line
      String msg = String.valueOf(e.getMessage());
      if (msg.startsWith("Unable to load credentials")) {
        msg =
            "no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;"
                + " the caller needs pricing:GetProducts)";
      } else if (msg.length() > 300) {
        msg = msg.substring(0, 300) + "...";
      }
      throw new EstimateException("Price List Query API (GetProducts " + serviceCode + "): " + msg);
    }
    return out;
  }

  private static Filter term(String field, String value) {
    return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
  }

  static final String LAMBDA = "AWSLambda";
  static final String API_GATEWAY = "AmazonApiGateway";
  static final String SAGEMAKER = "AmazonSageMaker";
  static final String CLOUDWATCH = "AmazonCloudWatch";
  static final String DATA_TRANSFER = "AWSDataTransfer";

  /** A catalog entry, the Price List product that holds it and how its dimensions become JSON. */
  private record Rule(
      List<String> path,
      String serviceCode,
      Predicate<PriceListProduct> match,
      Function<List<Dimension>, JsonNode> value) {}

  private static List<Rule> rules(PriceCatalog shipped) {
    List<Rule> rules = new ArrayList<>();
    rules.add(rule("lambda.requestPerMillion", LAMBDA, group("AWS-Lambda-Requests"), perMillion()));
    rules.add(
        rule(
            "lambda.durationGbSecond.x86_64",
            LAMBDA,
            group("AWS-Lambda-Duration"),
            tiers("price", BigDecimal.ONE)));
    rules.add(
        rule(
            "lambda.durationGbSecond.arm64",
            LAMBDA,
            group("AWS-Lambda-Duration-ARM"),
            tiers("price", BigDecimal.ONE)));
    rules.add(
        rule("lambda.ephemeralGbSecond", LAMBDA, usageType("Lambda-Storage-GB-Second"), single()));
    rules.add(
        rule(
            "lambda.provisioned.x86_64.concurrencyGbSecond",
            LAMBDA,
            group("AWS-Lambda-Provisioned-Concurrency"),
            single()));
    rules.add(
        rule(
            "lambda.provisioned.x86_64.durationGbSecond",
            LAMBDA,
            group("AWS-Lambda-Duration-Provisioned"),
            single()));
    rules.add(
        rule(
            "lambda.provisioned.arm64.concurrencyGbSecond",
            LAMBDA,
            group("AWS-Lambda-Provisioned-Concurrency-ARM"),
            single()));
    rules.add(
        rule(
            "lambda.provisioned.arm64.durationGbSecond",
            LAMBDA,
            group("AWS-Lambda-Duration-Provisioned-ARM"),
            single()));
    rules.add(
        rule(
            "apiGateway.http.tiers",
            API_GATEWAY,
            p -> p.attribute("operation").equals("ApiGatewayHttpApi"),
            tiers("pricePerMillion", MILLION)));
    rules.add(
        rule(
            "apiGateway.rest.tiers",
            API_GATEWAY,
            p -> p.attribute("operation").equals("ApiGatewayRequest"),
            tiers("pricePerMillion", MILLION)));
    for (String type : shipped.instanceTypes()) {
      rules.add(
          new Rule(
              List.of("sagemaker", "instanceHour", type),
              SAGEMAKER,
              usageType("Host:" + type),
              single()));
    }
    rules.add(
        rule(
            "sagemaker.serverlessGbSecond",
            SAGEMAKER,
            usageType("ServerlessInf:Mem-1GB"),
            single()));
    rules.add(
        rule("sagemaker.dataProcessedGb", SAGEMAKER, usageType("Host:Data-Bytes-In"), single()));
    rules.add(
        rule(
            "cloudwatchLogs.ingestionGb", CLOUDWATCH, usageType("DataProcessing-Bytes"), single()));
    rules.add(
        rule(
            "dataTransferOut.tiers",
            DATA_TRANSFER,
            p -> p.attribute("toLocation").equals("External"),
            tiers("price", BigDecimal.ONE)));
    return rules;
  }

  private static Rule rule(
      String path,
      String service,
      Predicate<PriceListProduct> match,
      Function<List<Dimension>, JsonNode> value) {
    return new Rule(List.of(path.split("\\.")), service, match, value);
  }

  private static Predicate<PriceListProduct> group(String group) {
    return p -> p.attribute("group").equals(group);
  }

  /** Usage types carry a region prefix ({@code USE2-}, {@code EU-}) except in us-east-1. */
  private static Predicate<PriceListProduct> usageType(String suffix) {
    return p -> {
      String u = p.attribute("usagetype");
      return u.equals(suffix) || u.endsWith("-" + suffix);
    };
  }

  private static Function<List<Dimension>, JsonNode> single() {
    return dims -> JsonNodeFactory.instance.textNode(plain(dims.getFirst().usd()));
  }

  private static Function<List<Dimension>, JsonNode> perMillion() {
    return dims ->
        JsonNodeFactory.instance.textNode(plain(dims.getFirst().usd().multiply(MILLION)));
  }

  /**
   * Tiers as the catalog holds them: {@code [{"upTo": end, field: price}, ..., {field: price}]}. A
   * leading free tier is dropped: the free allowances are the catalog's own (kept) entries.
   */
  private static Function<List<Dimension>, JsonNode> tiers(String field, BigDecimal scale) {
    return dims -> {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (Dimension d : dims) {
        if (out.isEmpty() && d.usd().signum() == 0 && d.end() != null) continue;
        ObjectNode t = out.addObject();
        if (d.end() != null) t.put("upTo", d.end().longValueExact());
        t.put(field, plain(d.usd().multiply(scale)));
      }
      return out;
    };
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static String text(JsonNode n) {
    return n == null ? "(none)" : n.isTextual() ? n.asText() : n.toString();
  }

  /** Equal as prices: "0.20" and "0.2" are the same price. */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    return a != null && normalize(a).equals(normalize(b));
  }

  private static JsonNode normalize(JsonNode n) {
    if (n.isContainerNode()) {
      JsonNode copy = n.deepCopy();
      if (copy instanceof ObjectNode o)
        o.properties().forEach(e -> e.setValue(normalize(e.getValue())));
      if (copy instanceof ArrayNode a)
        for (int i = 0; i < a.size(); i++) a.set(i, normalize(a.get(i)));
      return copy;
    }
    try {
      return JsonNodeFactory.instance.textNode(plain(new BigDecimal(n.asText())));
    } catch (NumberFormatException e) {
      return n;
    }
  }
}
