package dev.snapserve.estimate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A monthly bill: its line items, the assumptions behind them and the catalog that priced them.
 *
 * @param total the exact sum of the line items, rounded half-up to cents (the only rounding)
 */
public record Estimate(
    BigDecimal total, List<LineItem> lineItems, List<String> assumptions, CatalogInfo catalog) {

  /** Where the prices came from. */
  public record CatalogInfo(String date, String region, String source) {}

  public static final String CURRENCY = "USD";

  /** Sums the items exactly and rounds to cents at the end. */
  public static Estimate of(List<LineItem> items, List<String> assumptions, PriceCatalog catalog) {
    BigDecimal exact = items.stream().map(LineItem::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Estimate(
        exact.setScale(2, RoundingMode.HALF_UP),
        List.copyOf(items),
        List.copyOf(assumptions),
        new CatalogInfo(catalog.date(), catalog.region(), catalog.source()));
  }

  public String currency() {
    return CURRENCY;
  }

  /** The exact (unrounded) sum of one service's line items, e.g. {@code "AWS Lambda"}. */
  public BigDecimal cost(String service) {
    return lineItems.stream()
        .filter(i -> i.service().equals(service))
        .map(LineItem::cost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
