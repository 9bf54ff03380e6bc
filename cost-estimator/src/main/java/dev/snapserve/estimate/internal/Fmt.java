package dev.snapserve.estimate.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Number formats for formulas and reports (en-US grouping, no exponent notation). */
public final class Fmt {
  private Fmt() {}

  /** An exact number with thousands separators and no trailing zeros: {@code 540,000}. */
  public static String num(BigDecimal n) {
    BigDecimal s = n.stripTrailingZeros();
    DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
    f.setMaximumFractionDigits(Math.max(0, s.scale()));
    f.setRoundingMode(RoundingMode.UNNECESSARY);
    return f.format(s);
  }

  /** A unit price, exact: {@code $0.0000166667}. */
  public static String price(BigDecimal p) {
    return "$" + p.stripTrailingZeros().toPlainString();
  }

  /** Money rounded half-up to cents, with grouping: {@code $1,027.84}. */
  public static String usd(BigDecimal m) {
    DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return "$" + f.format(m);
  }
}
