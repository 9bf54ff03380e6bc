package dev.snapserve.estimate.internal;

/**
 * The pieces of the self-contained HTML reports: escaping and one page skeleton with its CSS. Void
 * elements are self-closed, so a report is also well-formed XML (the tests parse it as such).
 */
public final class Html {
  private Html() {}

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2em;color:#222}
      table{border-collapse:collapse;margin:1em 0}
      th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
      td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
      td.formula{font-family:ui-monospace,monospace;font-size:.9em}
      tfoot th,tfoot td{font-weight:bold}
      .total{font-size:1.3em}
      img{max-width:100%;height:auto}
      """;

  /** Text for an element or a quoted attribute value. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A whole document: {@code body} is already HTML, {@code title} is text. */
  public static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + CSS
        + "</style>\n</head>\n<body>\n"
        + body
        + "</body>\n</html>\n";
  }
}
