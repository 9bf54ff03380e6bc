package dev.snapserve.estimate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Monthly volume tiers: a quantity that crosses a boundary is priced piecewise. */
public final class Tiers {
  private Tiers() {}

  /**
   * A tier ending at {@code upTo} (cumulative; null for the last, unbounded tier).
   *
   * @param price per unit of the quantity being split
   */
  public record Tier(BigDecimal upTo, BigDecimal price) {}

  /** The part of a quantity that falls in tier {@code number} (1-based), from..to. */
  public record Piece(
      int number, BigDecimal from, BigDecimal to, BigDecimal quantity, BigDecimal price) {}

  /** Reads {@code [{"upTo": n, FIELD: "p"}, ..., {FIELD: "p"}]}. */
  public static List<Tier> read(JsonNode array, String priceField) {
    List<Tier> out = new ArrayList<>();
    for (JsonNode t : array) {
      out.add(
          new Tier(
              t.has("upTo") ? new BigDecimal(t.get("upTo").asText()) : null,
              new BigDecimal(t.get(priceField).asText())));
    }
    return out;
  }

  /** Splits a month's quantity over the tiers; only tiers that receive some quantity appear. */
  public static List<Piece> split(BigDecimal quantity, List<Tier> tiers) {
    List<Piece> out = new ArrayList<>();
    BigDecimal from = BigDecimal.ZERO;
    for (int i = 0; i < tiers.size(); i++) {
      Tier t = tiers.get(i);
      BigDecimal end = t.upTo() == null || t.upTo().compareTo(quantity) > 0 ? quantity : t.upTo();
      if (end.compareTo(from) > 0 || (i == 0 && quantity.signum() == 0)) {
        out.add(new Piece(i + 1, from, t.upTo(), end.subtract(from), t.price()));
      }
      if (t.upTo() == null || t.upTo().compareTo(quantity) >= 0) break;
      from = t.upTo();
    }
    return out;
  }
}
