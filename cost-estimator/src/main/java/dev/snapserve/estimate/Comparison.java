package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Fmt.num;

import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Target;
import dev.snapserve.spec.Target.Architecture;
import dev.snapserve.spec.Traffic;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The monthly cost of each way to serve a spec's model across a range of traffic, and the
 * break-even points where one option becomes cheaper than another. Each option is priced with the
 * spec's request/response sizes and in-model duration, uniform traffic, no free tier.
 *
 * @param requestsPerMonth the traffic levels, log-spaced
 * @param breakEvens every crossing of two options' costs, by traffic
 */
public record Comparison(
    String region, List<Double> requestsPerMonth, List<Series> series, List<BreakEven> breakEvens) {

  /** One serving option's monthly cost (rounded to cents) at each traffic level. */
  public record Series(String name, List<BigDecimal> monthlyUsd) {}

  /**
   * Below {@code requestsPerMonth} {@code cheaperBelow} costs less, above it {@code cheaperAbove}.
   *
   * @param cheapestChanges the crossing is where the cheapest option of all changes
   */
  public record BreakEven(
      String cheaperBelow,
      String cheaperAbove,
      double requestsPerMonth,
      BigDecimal monthlyUsd,
      boolean cheapestChanges) {

    /** {@code N requests/month ($X): A is cheaper below, B above}, for the table and the page. */
    public String text() {
      return level(requestsPerMonth)
          + " requests/month ("
          + EstimateReport.usd(monthlyUsd)
          + "): "
          + cheaperBelow
          + " is cheaper below, "
          + cheaperAbove
          + " above";
    }
  }

  /** A traffic level as reports show it: rounded to whole requests, with thousands separators. */
  static String level(double requestsPerMonth) {
    return num(BigDecimal.valueOf(Math.round(requestsPerMonth)));
  }

  private record Option(String name, DoubleFunction<BigDecimal> cost) {}

  /** Compares the serving options of {@code spec} at {@code points} traffic levels. */
  public static Comparison of(DeploymentSpec spec, double from, double to, int points) {
    if (!(from > 0) || !(to > from)) {
      throw new EstimateException(
          "requests range: need 0 < from < to, got from " + from + " to " + to);
    }
    if (points < 2 || points > 500) {
      throw new EstimateException("points: " + points + " is not between 2 and 500");
    }
    PriceCatalog catalog = PriceCatalog.load(spec.region());
    List<Option> options = options(spec, catalog);
    List<Double> levels = new ArrayList<>();
    for (int i = 0; i < points; i++) {
      levels.add(Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * i / (points - 1)));
    }
    List<Series> series = new ArrayList<>();
    for (Option o : options) {
      series.add(new Series(o.name(), levels.stream().map(r -> o.cost().apply(r)).toList()));
    }
    return new Comparison(spec.region(), levels, series, breakEvens(options, levels, series));
  }

  /** Lambda arm64/x86_64 behind an HTTP API, arm64 behind a REST API, the GPU endpoint, etc. */
  private static List<Option> options(DeploymentSpec spec, PriceCatalog catalog) {
    Traffic t = spec.traffic();
    Target.Lambda fn =
        first(spec, Target.Lambda.class)
            .orElse(
                new Target.Lambda(
                    "fn", 2048, Architecture.ARM64, true, 10, 512, java.util.Optional.empty(), 0));
    Target.GpuEndpoint gpu = first(spec, Target.GpuEndpoint.class).orElse(null);
    int serverlessMiB =
        first(spec, Target.ServerlessEndpoint.class)
            .map(Target.ServerlessEndpoint::memoryMiB)
            .orElse(2048);
    double reqKb = t.requestBytes() / 1024.0;
    double gibIn = SpecEstimator.gib(t.requestBytes());
    double gibOut = SpecEstimator.gib(t.responseBytes());

    List<Option> out = new ArrayList<>();
    for (Architecture arch : List.of(Architecture.ARM64, Architecture.X86_64)) {
      out.add(
          new Option(
              "Lambda " + arch.id() + " " + fn.memoryMiB() + " MB + HTTP API",
              r ->
                  new Estimator(catalog)
                      .lambda(
                          LambdaUsage.onDemand(fn.memoryMiB(), arch, r, t.durationMs())
                              .withEphemeralMiB(fn.ephemeralStorageMiB()))
                      .api(ApiType.HTTP, r, reqKb)
                      .dataTransferOut(r * gibOut, false)
                      .estimate()
                      .total()));
    }
    out.add(
        new Option(
            "Lambda " + fn.architecture().id() + " " + fn.memoryMiB() + " MB + REST API",
            r ->
                new Estimator(catalog)
                    .lambda(
                        LambdaUsage.onDemand(fn.memoryMiB(), fn.architecture(), r, t.durationMs())
                            .withEphemeralMiB(fn.ephemeralStorageMiB()))
                    .api(ApiType.REST, r, reqKb)
                    .dataTransferOut(r * gibOut, false)
                    .estimate()
                    .total()));
    if (gpu != null) {
      List<Double> shares = SpecEstimator.variantShares(gpu);
      out.add(
          new Option(
              "SageMaker " + gpu.instanceType() + " autoscaled + HTTP API",
              r -> {
                // each variant scales on its own share; past maxInstances the endpoint could not
                // take the traffic, so the comparison prices the instances it would need
                double perMinute = r / (Traffic.HOURS_PER_MONTH * 60);
                int n = 0;
                for (double share : shares) {
                  n +=
                      Math.max(
                          gpu.minInstances(),
                          (int) Math.ceil(perMinute * share / gpu.targetInvocationsPerInstance()));
                }
                return new Estimator(catalog)
                    .sagemaker(gpu.instanceType(), n, Traffic.HOURS_PER_MONTH)
                    .sagemakerData(r * gibIn, r * gibOut)
                    .api(ApiType.HTTP, r, reqKb)
                    .dataTransferOut(r * gibOut, false)
                    .estimate()
                    .total();
              }));
    }
    out.add(
        new Option(
            "SageMaker serverless " + serverlessMiB + " MB + HTTP API",
            r ->
                new Estimator(catalog)
                    .sagemakerServerless(serverlessMiB, r, t.durationMs())
                    .sagemakerData(r * gibIn, r * gibOut)
                    .api(ApiType.HTTP, r, reqKb)
                    .dataTransferOut(r * gibOut, false)
                    .estimate()
                    .total()));
    int gcfMiB = fn.memoryMiB() <= 2048 ? (fn.memoryMiB() <= 1024 ? 1024 : 2048) : 4096;
    out.add(
        new Option(
            "Cloud Functions gen2 " + gcfMiB + " MB",
            r ->
                new Estimator(catalog)
                    .gcf(
                        new GcfUsage(
                            2, gcfMiB, r, t.durationMs(), t.responseBytes() / 1024.0, false))
                    .estimate()
                    .total()));
    return out;
  }

  private static <T extends Target> java.util.Optional<T> first(
      DeploymentSpec spec, Class<T> type) {
    return spec.targets().values().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Crossings found between adjacent levels (signs read from {@code series}, which holds every
   * option's cost at every level), refined by bisection in log space.
   */
  private static List<BreakEven> breakEvens(
      List<Option> options, List<Double> levels, List<Series> series) {
    List<BreakEven> out = new ArrayList<>();
    for (int i = 0; i < options.size(); i++) {
      for (int j = i + 1; j < options.size(); j++) {
        Option a = options.get(i);
        Option b = options.get(j);
        List<BigDecimal> costA = series.get(i).monthlyUsd();
        List<BigDecimal> costB = series.get(j).monthlyUsd();
        for (int k = 0; k + 1 < levels.size(); k++) {
          int s0 = costA.get(k).compareTo(costB.get(k));
          int s1 = costA.get(k + 1).compareTo(costB.get(k + 1));
          if (s0 == 0 || s1 == 0 || s0 == s1) continue;
          double lo = Math.log(levels.get(k));
          double hi = Math.log(levels.get(k + 1));
          for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            if (diff(a, b, Math.exp(mid)) == s0) lo = mid;
            else hi = mid;
          }
          double r = Math.exp(hi);
          List<BigDecimal> at = options.stream().map(o -> o.cost().apply(r)).toList();
          BigDecimal atA = at.get(i);
          BigDecimal atB = at.get(j);
          BigDecimal cheapest = at.stream().reduce(BigDecimal::min).orElseThrow();
          // the pair is the bottom of the envelope: the cheapest option changes here
          boolean changes = cheapest.compareTo(atA.min(atB)) == 0;
          String below = s0 < 0 ? a.name() : b.name();
          String above = s0 < 0 ? b.name() : a.name();
          out.add(new BreakEven(below, above, r, atA.max(atB), changes));
        }
      }
    }
    out.sort(java.util.Comparator.comparingDouble(BreakEven::requestsPerMonth));
    return out;
  }

  /** Sign of cost(a) - cost(b) at {@code r} requests. */
  private static int diff(Option a, Option b, double r) {
    return a.cost().apply(r).compareTo(b.cost().apply(r));
  }

  /** A text table: one row per traffic level, one column per option, then the break-evens. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%16s", "requests/month"));
    for (Series s : series) sb.append(" | ").append(s.name());
    sb.append('\n');
    for (int i = 0; i < requestsPerMonth.size(); i++) {
      sb.append(String.format("%16s", level(requestsPerMonth.get(i))));
      for (Series s : series) {
        String v = EstimateReport.usd(s.monthlyUsd().get(i));
        sb.append(" | ").append(" ".repeat(Math.max(0, s.name().length() - v.length()))).append(v);
      }
      sb.append('\n');
    }
    sb.append("\nBreak-even points (").append(region).append(", USD per month):\n");
    if (breakEvens.isEmpty()) sb.append("  none in this range\n");
    for (BreakEven b : breakEvens) {
      sb.append(String.format("  %s%s%n", b.cheapestChanges() ? "* " : "  ", b.text()));
    }
    if (breakEvens.stream().anyMatch(BreakEven::cheapestChanges)) {
      sb.append("  (* the cheapest option changes here)\n");
    }
    return sb.toString();
  }

  private static LogAxis logAxis(String label, String format) {
    LogAxis axis = new LogAxis(label);
    axis.setBase(10);
    axis.setTickUnit(new NumberTickUnit(1)); // one tick per decade
    axis.setNumberFormatOverride(new DecimalFormat(format));
    axis.setLabelFont(ChartFonts.plain(12)); // JFreeChart's sizes for an axis
    axis.setTickLabelFont(ChartFonts.plain(10));
    return axis;
  }

  /**
   * {@link #chart} as PNG.
   *
   * @throws ChartException when this machine cannot draw (see {@link #drawing})
   */
  public byte[] chartPng(int width, int height) {
    return drawing(
        () -> {
          ByteArrayOutputStream png = new ByteArrayOutputStream();
          try {
            ChartUtils.writeChartAsPNG(png, chart(), width, height);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return png.toByteArray();
        });
  }

  /**
   * {@link #chart} as a standalone SVG document: vector, so it stays sharp in any report.
   *
   * @throws ChartException when this machine cannot draw (see {@link #drawing})
   */
  public String chartSvg(int width, int height) {
    return drawing(() -> svg(width, height));
  }

  /**
   * Runs {@code draw}, turning an {@link Error} from Java2D (no usable font, an X display named by
   * {@code DISPLAY} that cannot be reached, a missing native library) into a {@link ChartException}
   * that names it. The JVM's own failures (out of memory, stack overflow) are left as they are.
   */
  static <T> T drawing(Supplier<T> draw) {
    try {
      return draw.get();
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw e;
    } catch (Error e) {
      throw new ChartException("cannot draw the chart: " + e, e);
    }
  }

  private String svg(int width, int height) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix("snapserve-"); // the default prefix is time-based: same input, same bytes
    // the text is drawn in the shipped DejaVu Sans (ChartFonts); a viewer without it falls back
    // to its own sans-serif rather than to its default (often serif) font
    var standard = g2.getFontFunction();
    g2.setFontFunction(
        family ->
            family.equals("DejaVu Sans") ? "DejaVu Sans, sans-serif" : standard.apply(family));
    chart().draw(g2, new Rectangle(0, 0, width, height));
    // the element, not getSVGDocument() (its DOCTYPE names a DTD that XML tools fetch from
    // w3.org), with a viewBox, so the chart scales with its box instead of being cropped
    String svg =
        g2.getSVGElement(
            null,
            true,
            new ViewBox(0, 0, width, height),
            PreserveAspectRatio.XMID_YMID,
            MeetOrSlice.MEET);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n";
  }

  /**
   * A line chart, both axes logarithmic: every break-even is a point where two lines cross, and
   * where the cheapest option changes a dashed line marks it. Every text is in {@link ChartFonts}
   * (JFreeChart's defaults are Tahoma and SansSerif, so whatever the machine has, or an error).
   */
  private JFreeChart chart() {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name());
      for (int i = 0; i < requestsPerMonth.size(); i++) {
        // a log axis cannot show $0: a cent is the floor of the drawing, not of the numbers
        xy.add(
            requestsPerMonth.get(i).doubleValue(),
            Math.max(0.01, s.monthlyUsd().get(i).doubleValue()));
      }
      data.addSeries(xy);
    }
    if (!breakEvens.isEmpty()) { // no legend entry for points there are none of
      XYSeries crossings = new XYSeries("break-even points");
      breakEvens.forEach(b -> crossings.add(b.requestsPerMonth(), b.monthlyUsd().doubleValue()));
      data.addSeries(crossings);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Monthly cost by traffic (" + region + ")",
            "requests per month",
            "USD per month",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    // the sizes JFreeChart's standard theme uses for a title (bold 20) and legend items (12)
    chart.getTitle().setFont(ChartFonts.bold(20));
    chart.getLegend().setItemFont(ChartFonts.plain(12));
    XYPlot plot = chart.getXYPlot();
    plot.setNoDataMessageFont(ChartFonts.plain(12));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainAxis(logAxis("requests per month", "#,##0"));
    plot.setRangeAxis(logAxis("USD per month", "$#,##0.##"));
    Color[] palette = {
      new Color(0xd6, 0x27, 0x28), new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
      new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd), new Color(0x17, 0xbe, 0xcf)
    };
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesPaint(i, palette[i % palette.length]);
    }
    int points = series.size();
    renderer.setSeriesLinesVisible(points, false);
    renderer.setSeriesShapesVisible(points, true);
    renderer.setSeriesShape(points, new Ellipse2D.Double(-4, -4, 8, 8));
    renderer.setSeriesPaint(points, Color.BLACK);
    for (BreakEven b : breakEvens) {
      if (!b.cheapestChanges()) continue;
      ValueMarker m = new ValueMarker(b.requestsPerMonth());
      m.setPaint(Color.DARK_GRAY);
      m.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
      m.setLabel("break-even " + level(b.requestsPerMonth()));
      m.setLabelFont(ChartFonts.plain(9)); // JFreeChart's size for a marker label
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      plot.addDomainMarker(m);
    }
    return chart;
  }
}
