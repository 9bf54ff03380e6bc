package dev.snapserve.estimate;

import java.math.BigDecimal;

/**
 * One priced quantity of a bill: {@code cost = quantity x unitPrice}, exact (never rounded; the
 * {@link Estimate} rounds its total to cents once).
 *
 * @param formula how the quantity was derived: free tier deducted, tier boundaries crossed
 */
public record LineItem(
    String service,
    String item,
    BigDecimal quantity,
    String unit,
    BigDecimal unitPrice,
    BigDecimal cost,
    String formula) {

  static LineItem of(
      String service,
      String item,
      BigDecimal quantity,
      String unit,
      BigDecimal unitPrice,
      String formula) {
    return new LineItem(
        service, item, quantity, unit, unitPrice, quantity.multiply(unitPrice), formula);
  }
}
