package dev.snapserve.estimate.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Number formats for formulas and reports (en-US grouping, no exponent notation). */
public final class Fmt {
  private Fmt() {}

  /**
   * A quantity with thousands separators and no trailing zeros, shown to at most 6 decimals ({@code
   * 540,000}, {@code 0.279397}); the line items keep the exact value.
   */
  public static String num(BigDecimal n) {
    DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
    f.setMaximumFractionDigits(6);
    f.setRoundingMode(RoundingMode.HALF_UP);
    return f.format(n);
  }

  /** A unit price, exact, with at least cents: {@code $0.0000166667}, {@code $0.20}. */
  public static String price(BigDecimal p) {
    BigDecimal s = p.stripTrailingZeros();
    return "$" + (s.scale() < 2 ? s.setScale(2) : s).toPlainString();
  }

  /** Money rounded half-up to cents, with grouping: {@code $1,027.84}. */
  public static String usd(BigDecimal m) {
    DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return "$" + f.format(m);
  }
}
