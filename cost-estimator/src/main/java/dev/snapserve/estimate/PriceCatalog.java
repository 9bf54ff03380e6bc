package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Mappers.JSON;
import static dev.snapserve.estimate.internal.Mappers.firstLine;
import static dev.snapserve.estimate.internal.Mappers.readText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dated price list of one region, shipped as {@code prices/REGION.json} in this jar. Prices are
 * decimal strings read as {@link BigDecimal} so no binary rounding enters the money.
 */
public final class PriceCatalog {
  /** The regions with a catalog; {@code dev.snapserve.spec.Catalog} knows more regions. */
  public static final Set<String> REGIONS =
      Set.copyOf(List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1"));

  private final JsonNode root;

  private PriceCatalog(JsonNode root) {
    this.root = root;
  }

  /** The catalog of {@code region}; an {@link EstimateException} listing the known ones if none. */
  public static PriceCatalog load(String region) {
    requireRegion(region);
    try (InputStream in = PriceCatalog.class.getResourceAsStream("prices/" + region + ".json")) {
      if (in == null)
        throw new IllegalStateException("missing resource prices/" + region + ".json");
      return new PriceCatalog(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@link EstimateException} listing the known regions if {@code region} has no catalog. */
  public static void requireRegion(String region) {
    if (!REGIONS.contains(region)) {
      throw new EstimateException(
          "no price catalog for region '"
              + region
              + "'; catalogs exist for "
              + String.join(", ", new TreeSet<>(REGIONS)));
    }
  }

  /**
   * A catalog file in the shipped format, e.g. one written by {@code snapserve prices refresh}; an
   * {@link EstimateException} naming the file when it is not JSON or lacks a section.
   */
  public static PriceCatalog read(Path file) {
    String text = readText(file, "price catalog");
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new EstimateException(
          "cannot read price catalog " + file + ": " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new EstimateException(file + " is not a price catalog (a JSON object)");
    }
    for (String key : SECTIONS) {
      if (!root.has(key)) {
        throw new EstimateException(
            file + " is not a price catalog: it has no '" + key + "' (see prices show)");
      }
    }
    if (!REGIONS.contains(root.path("region").asText())) {
      throw new EstimateException(
          file
              + ": region '"
              + root.path("region").asText()
              + "' is not one of "
              + String.join(", ", new TreeSet<>(REGIONS)));
    }
    // a catalog refreshed before an entry existed lacks it: take it from the shipped one, as
    // `prices refresh` keeps whatever it does not look up
    fillMissing((ObjectNode) root, load(root.path("region").asText()).root);
    return new PriceCatalog(root);
  }

  private static void fillMissing(ObjectNode target, JsonNode defaults) {
    defaults
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode mine = target.get(e.getKey());
              if (mine == null) target.set(e.getKey(), e.getValue().deepCopy());
              else if (mine.isObject() && e.getValue().isObject())
                fillMissing((ObjectNode) mine, e.getValue());
            });
  }

  private static final List<String> SECTIONS =
      List.of(
          "region",
          "date",
          "source",
          "lambda",
          "apiGateway",
          "sagemaker",
          "cloudwatchLogs",
          "dataTransferOut",
          "cloudFunctions");

  public String region() {
    return root.path("region").asText();
  }

  /** The date the prices were published (ISO-8601). */
  public String date() {
    return root.path("date").asText();
  }

  /** How the prices were obtained. */
  public String source() {
    return root.path("source").asText();
  }

  /** The pricing pages the prices come from. */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    root.path("sources").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The catalog document itself, for {@code snapserve prices show}. */
  public JsonNode json() {
    return root.deepCopy();
  }

  /** The price (or number) at a path such as {@code lambda.requestPerMillion}. */
  public BigDecimal price(String path) {
    return new BigDecimal(node(path).asText());
  }

  /** The node at a dotted path; a catalog file may lack it (one edited by hand). */
  public JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n.path(part);
    }
    if (n.isMissingNode()) {
      throw new EstimateException("price catalog " + region() + " has no " + path);
    }
    return n;
  }

  /** The on-demand hourly price of a SageMaker instance type (its name holds dots). */
  public BigDecimal instanceHourPrice(String instanceType) {
    JsonNode n = root.path("sagemaker").path("instanceHour").path(instanceType);
    if (n.isMissingNode()) {
      throw new EstimateException(
          "no price for SageMaker instance type '"
              + instanceType
              + "' in "
              + region()
              + "; priced types: "
              + String.join(", ", instanceTypes()));
    }
    return new BigDecimal(n.asText());
  }

  /** SageMaker real-time instance types priced in this catalog. */
  public Set<String> instanceTypes() {
    Set<String> out = new TreeSet<>();
    root.path("sagemaker").path("instanceHour").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
