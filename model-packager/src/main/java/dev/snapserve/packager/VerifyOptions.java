package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How {@link Verifier} compares two models.
 *
 * @param samples how many inputs to run; null means every row of {@code data}, or {@value
 *     #DEFAULT_SYNTHESIZED_SAMPLES} synthesized inputs
 * @param data a JSON file {@code {"inputs": {NAME: [row, ...]}}} (the format of
 *     models/testdata/digits-heldout.json; {@code "inputs"} may name another such file next to it,
 *     and optional {@code "labels"} add accuracies), or null to synthesize inputs from the
 *     signature
 * @param tolerance what counts as equal enough
 * @param seed seeds synthesized inputs (same seed, same inputs)
 */
public record VerifyOptions(Integer samples, Path data, Tolerance tolerance, long seed) {
  public static final int DEFAULT_SYNTHESIZED_SAMPLES = 100;
  public static final long DEFAULT_SEED = 42;

  public VerifyOptions {
    if (samples != null && samples < 1) {
      throw new PackagerException("--samples must be at least 1, got " + samples);
    }
    if (tolerance == null) tolerance = Tolerance.DEFAULT;
  }

  /** All rows of a data file or 100 synthesized inputs, default tolerance, seed 42. */
  public static VerifyOptions defaults() {
    return new VerifyOptions(null, null, Tolerance.DEFAULT, DEFAULT_SEED);
  }

  public VerifyOptions withSamples(Integer samples) {
    return new VerifyOptions(samples, data, tolerance, seed);
  }

  public VerifyOptions withData(Path data) {
    return new VerifyOptions(samples, data, tolerance, seed);
  }

  public VerifyOptions withTolerance(Tolerance tolerance) {
    return new VerifyOptions(samples, data, tolerance, seed);
  }

  public VerifyOptions withSeed(long seed) {
    return new VerifyOptions(samples, data, tolerance, seed);
  }

  /**
   * An element of a candidate output is within tolerance when {@code |cand - ref| <= abs + rel *
   * |ref|} (numpy's allclose); a classifier output ({@code [N, C]} float) also needs its top-1
   * class to agree with the reference on at least a {@code top1} fraction of rows. A null bound is
   * not checked.
   */
  public record Tolerance(Double abs, Double rel, Double top1) {
    /** {@code abs=1e-4,rel=1e-3,top1=0.99}. */
    public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-3, 0.99);

    public Tolerance {
      if (abs != null && !(abs >= 0)) throw bad("abs", abs.toString(), "a number >= 0");
      if (rel != null && !(rel >= 0)) throw bad("rel", rel.toString(), "a number >= 0");
      if (top1 != null && !(top1 >= 0 && top1 <= 1)) {
        throw bad("top1", top1.toString(), "a fraction between 0 and 1");
      }
    }

    /**
     * Parses {@code key=value} pairs separated by commas, e.g. {@code abs=1e-4,rel=1e-3,top1=0.99};
     * keys not given keep their {@link #DEFAULT}; {@code off} disables a check.
     */
    public static Tolerance parse(String spec) {
      Double abs = DEFAULT.abs;
      Double rel = DEFAULT.rel;
      Double top1 = DEFAULT.top1;
      if (spec == null || spec.isBlank()) throw bad("tolerance", "", "key=value pairs");
      for (String part : spec.split(",")) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          throw new PackagerException(
              "tolerance '"
                  + part.strip()
                  + "' is not key=value (e.g. abs=1e-4,rel=1e-3,top1=0.99)");
        }
        String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = part.substring(eq + 1).strip();
        Double v = value.equalsIgnoreCase("off") ? null : number(key, value);
        switch (key) {
          case "abs" -> abs = v;
          case "rel" -> rel = v;
          case "top1" -> top1 = v;
          default ->
              throw new PackagerException(
                  "unknown tolerance key '" + key + "' (expected abs, rel or top1)");
        }
      }
      return new Tolerance(abs, rel, top1);
    }

    /** Whether outputs are compared element by element (abs or rel is set). */
    public boolean checksElements() {
      return abs != null || rel != null;
    }

    /** Largest difference allowed for an element whose reference value is {@code ref}. */
    public double allowed(double ref) {
      return (abs == null ? 0 : abs) + (rel == null ? 0 : rel) * Math.abs(ref);
    }

    @Override
    public String toString() {
      return "abs=" + text(abs) + ",rel=" + text(rel) + ",top1=" + text(top1);
    }

    private static String text(Double d) {
      return d == null ? "off" : d.toString();
    }

    private static double number(String key, String value) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw bad(key, value, "a number or off");
      }
    }

    private static PackagerException bad(String key, String value, String expected) {
      return new PackagerException(
          "tolerance " + key + " must be " + expected + ", got '" + value + "'");
    }
  }
}
