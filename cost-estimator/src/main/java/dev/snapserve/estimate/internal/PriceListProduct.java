package dev.snapserve.estimate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.estimate.EstimateException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One product of the AWS Price List ({@code GetProducts} returns each as a JSON string): its {@code
 * product.attributes} and the price dimensions of its on-demand terms, sorted by {@code
 * beginRange}.
 */
public record PriceListProduct(Map<String, String> attributes, List<Dimension> dimensions) {

  /** One price dimension; {@code end} is null for {@code "Inf"} (the last tier). */
  public record Dimension(BigDecimal begin, BigDecimal end, String unit, BigDecimal usd) {}

  /** Parses one Price List product document. */
  public static PriceListProduct parse(String json) {
    JsonNode root;
    try {
      root = Mappers.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new EstimateException("Price List product is not JSON: " + e.getOriginalMessage());
    }
    Map<String, String> attributes = new TreeMap<>();
    root.path("product")
        .path("attributes")
        .properties()
        .forEach(a -> attributes.put(a.getKey(), a.getValue().asText()));
    String family = root.path("product").path("productFamily").asText("");
    if (!family.isEmpty()) attributes.put("productFamily", family);
    List<Dimension> dims = new ArrayList<>();
    // terms.OnDemand.{offer}.priceDimensions.{rate}: Reserved terms are not list prices
    for (JsonNode offer : root.path("terms").path("OnDemand")) {
      for (JsonNode d : offer.path("priceDimensions")) {
        String usd = d.path("pricePerUnit").path("USD").asText("");
        if (usd.isEmpty()) continue;
        String end = d.path("endRange").asText("Inf");
        dims.add(
            new Dimension(
                new BigDecimal(d.path("beginRange").asText("0")),
                end.equals("Inf") ? null : new BigDecimal(end),
                d.path("unit").asText(""),
                new BigDecimal(usd)));
      }
    }
    dims.sort(Comparator.comparing(Dimension::begin));
    return new PriceListProduct(Map.copyOf(attributes), List.copyOf(dims));
  }

  public String attribute(String name) {
    return attributes.getOrDefault(name, "");
  }
}
