package dev.snapserve.estimate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snapserve.estimate.internal.Fmt;
import dev.snapserve.estimate.internal.Html;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link Estimate} as a text table, Markdown, CSV, JSON or a self-contained HTML page,
 * and a {@link Comparison} as HTML with its chart embedded.
 */
public final class EstimateReport {
  /** Output formats of {@code snapserve estimate --format}. */
  public enum Format {
    TABLE,
    MARKDOWN,
    CSV,
    JSON,
    HTML;

    /** Parses {@code table|markdown|csv|json|html}. */
    public static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new EstimateException(
            "format '" + s + "' is not one of table, markdown, csv, json, html");
      }
    }
  }

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // 108000, not 1.08E+5: stripTrailingZeros leaves exponents a finance reader trips on
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

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
      case HTML -> html(e);
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

  /** One HTML page: the line items with their formulas, the total, assumptions and catalog. */
  private static String html(Estimate e) {
    String total = Fmt.usd(e.total()) + " " + e.currency();
    StringBuilder b = new StringBuilder("<h1>Monthly cost estimate</h1>\n");
    b.append("<p class=\"total\">Total: <strong>")
        .append(Html.escape(total))
        .append("</strong> per month</p>\n<table>\n<thead><tr>");
    for (int c = 0; c < HEADER.length; c++) {
      b.append(c >= 2 && c <= 4 ? "<th class=\"num\">" : "<th>")
          .append(Html.escape(HEADER[c]))
          .append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (String[] r : rows(e)) {
      b.append("<tr>");
      for (int c = 0; c < r.length; c++) {
        String cls = c >= 2 && c <= 4 ? " class=\"num\"" : c == 5 ? " class=\"formula\"" : "";
        b.append("<td").append(cls).append('>').append(Html.escape(r[c])).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n<tfoot><tr><th colspan=\"4\">Total</th><td class=\"num\">")
        .append(Html.escape(Fmt.usd(e.total())))
        .append("</td><td></td></tr></tfoot>\n</table>\n")
        .append(
            "<p>Line costs are shown rounded; the total is their exact sum, rounded once.</p>\n");
    if (!e.assumptions().isEmpty()) {
      b.append("<h2>Assumptions</h2>\n<ul>\n");
      e.assumptions().forEach(a -> b.append("<li>").append(Html.escape(a)).append("</li>\n"));
      b.append("</ul>\n");
    }
    b.append("<h2>Prices</h2>\n<p>")
        .append(
            Html.escape(
                e.catalog().region()
                    + " catalog dated "
                    + e.catalog().date()
                    + " ("
                    + e.catalog().source()
                    + ")"))
        .append("</p>\n");
    return Html.page("snapserve estimate: " + total + " a month", b.toString());
  }

  /**
   * {@code estimate compare} as one self-contained HTML page: the chart as an embedded base64 PNG
   * ({@link Comparison#chartPng}), the costs by traffic and the break-even points.
   */
  public static String html(Comparison c, int width, int height) {
    return html(c, c.chartPng(width, height), width, height);
  }

  /** {@link #html(Comparison, int, int)} around a chart already drawn at that size. */
  public static String html(Comparison c, byte[] chartPng, int width, int height) {
    String png = Base64.getEncoder().encodeToString(chartPng);
    StringBuilder b = new StringBuilder("<h1>Monthly cost by traffic</h1>\n");
    b.append("<p>")
        .append(Html.escape(c.region() + ", USD per month, uniform traffic, no free tier."))
        .append("</p>\n<img src=\"data:image/png;base64,")
        .append(png)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" alt=\"")
        .append(Html.escape("Monthly cost of each serving option by requests a month (log-log)"))
        .append("\"/>\n<table>\n<thead><tr><th class=\"num\">requests/month</th>");
    for (Comparison.Series s : c.series()) {
      b.append("<th class=\"num\">").append(Html.escape(s.name())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (int i = 0; i < c.requestsPerMonth().size(); i++) {
      b.append("<tr><td class=\"num\">")
          .append(Comparison.level(c.requestsPerMonth().get(i)))
          .append("</td>");
      for (Comparison.Series s : c.series()) {
        b.append("<td class=\"num\">").append(Fmt.usd(s.monthlyUsd().get(i))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n<h2>Break-even points</h2>\n<ul>\n");
    if (c.breakEvens().isEmpty()) b.append("<li>none in this range</li>\n");
    for (Comparison.BreakEven be : c.breakEvens()) {
      String text = be.text() + (be.cheapestChanges() ? " (the cheapest option changes here)" : "");
      b.append(be.cheapestChanges() ? "<li><strong>" : "<li>")
          .append(Html.escape(text))
          .append(be.cheapestChanges() ? "</strong></li>\n" : "</li>\n");
    }
    b.append("</ul>\n");
    return Html.page("snapserve estimate compare (" + c.region() + ")", b.toString());
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
