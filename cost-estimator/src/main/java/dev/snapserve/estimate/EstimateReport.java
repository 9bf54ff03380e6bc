package dev.snapserve.estimate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.estimate.internal.Fmt;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders an {@link Estimate} as a text table, Markdown, CSV or JSON. */
public final class EstimateReport {
  /** Output formats of {@code snapserve estimate --format}. */
  public enum Format {
    TABLE,
    MARKDOWN,
    CSV,
    JSON;

    /** Parses {@code table|markdown|csv|json}. */
    public static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new EstimateException("format '" + s + "' is not one of table, markdown, csv, json");
      }
    }
  }

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EstimateReport() {}

  /** Money as reports show it: {@code $1,035.31}. */
  public static String usd(java.math.BigDecimal amount) {
    return Fmt.usd(amount);
  }

  public static String render(Estimate e, Format format) {
    return switch (format) {
      case TABLE -> table(e);
      case MARKDOWN -> markdown(e);
      case CSV -> csv(e);
      case JSON -> json(e);
    };
  }

  /**
   * {@code {"currency", "total", "lineItems": [{service, item, quantity, unit, unitPrice, cost}],
   * "assumptions", "catalog": {date, region, source}}}; line costs exact, the total in cents.
   */
  public static String json(Estimate e) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("currency", e.currency());
    root.put("total", e.total());
    ArrayNode items = root.putArray("lineItems");
    for (LineItem i : e.lineItems()) {
      items
          .addObject()
          .put("service", i.service())
          .put("item", i.item())
          .put("quantity", i.quantity().stripTrailingZeros())
          .put("unit", i.unit())
          .put("unitPrice", i.unitPrice().stripTrailingZeros())
          .put("cost", i.cost().stripTrailingZeros());
    }
    ArrayNode assumptions = root.putArray("assumptions");
    e.assumptions().forEach(assumptions::add);
    root.putObject("catalog")
        .put("date", e.catalog().date())
        .put("region", e.catalog().region())
        .put("source", e.catalog().source());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static List<String[]> rows(Estimate e) {
    List<String[]> rows = new ArrayList<>();
    for (LineItem i : e.lineItems()) {
      rows.add(
          new String[] {
            i.service(),
            i.item(),
            Fmt.num(i.quantity()) + " " + i.unit(),
            Fmt.price(i.unitPrice()),
            Fmt.usd(i.cost()),
            i.formula()
          });
    }
    return rows;
  }

  private static final String[] HEADER = {
    "Service", "Item", "Quantity", "Unit price", "Cost", "Formula"
  };

  private static String table(Estimate e) {
    List<String[]> rows = rows(e);
    int[] w = new int[5];
    for (String[] r : concat(HEADER, rows)) {
      for (int c = 0; c < 5; c++) w[c] = Math.max(w[c], r[c].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : concat(HEADER, rows)) {
      sb.append(
              String.format(
                  "%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %" + w[4]
                      + "s",
                  r[0],
                  r[1],
                  r[2],
                  r[3],
                  r[4]))
          .append('\n');
      if (r != HEADER) sb.append("    = ").append(r[5]).append('\n');
    }
    sb.append(String.format("%nTotal: %s %s per month%n", Fmt.usd(e.total()), e.currency()));
    footer(e, sb, "");
    return sb.toString();
  }

  private static String markdown(Estimate e) {
    StringBuilder sb = new StringBuilder("| " + String.join(" | ", HEADER) + " |\n");
    sb.append("|---|---|--:|--:|--:|---|\n");
    for (String[] r : rows(e)) {
      sb.append("| ").append(String.join(" | ", r).replace("\n", " ")).append(" |\n");
    }
    sb.append(String.format("%n**Total: %s %s per month**%n", Fmt.usd(e.total()), e.currency()));
    footer(e, sb, "- ");
    return sb.toString();
  }

  private static String csv(Estimate e) {
    StringBuilder sb = new StringBuilder("service,item,quantity,unit,unitPrice,cost,formula\n");
    for (LineItem i : e.lineItems()) {
      sb.append(
              String.join(
                  ",",
                  quote(i.service()),
                  quote(i.item()),
                  i.quantity().stripTrailingZeros().toPlainString(),
                  quote(i.unit()),
                  i.unitPrice().stripTrailingZeros().toPlainString(),
                  i.cost().stripTrailingZeros().toPlainString(),
                  quote(i.formula())))
          .append('\n');
    }
    sb.append(quote("Total")).append(",,,,,").append(e.total().toPlainString()).append(",\n");
    return sb.toString();
  }

  private static void footer(Estimate e, StringBuilder sb, String bullet) {
    sb.append("Line costs are shown rounded; the total is their exact sum, rounded once.\n");
    if (!e.assumptions().isEmpty()) {
      sb.append("\nAssumptions:\n");
      e.assumptions()
          .forEach(a -> sb.append(bullet.isEmpty() ? "  - " : bullet).append(a).append('\n'));
    }
    sb.append(
        String.format(
            "%nPrices: %s catalog dated %s (%s)%n",
            e.catalog().region(), e.catalog().date(), e.catalog().source()));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static List<String[]> concat(String[] header, List<String[]> rows) {
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
