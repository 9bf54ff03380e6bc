package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code --format html}: one self-contained page, parsed back (it is also well-formed XML). */
class HtmlReportTest {
  static Document parse(String html) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> all(Document d, String tag) {
    NodeList n = d.getElementsByTagName(tag);
    return java.util.stream.IntStream.range(0, n.getLength())
        .mapToObj(i -> (Element) n.item(i))
        .toList();
  }

  @Test
  void theSpecsEstimateWithFormulasAssumptionsAndCatalog() throws Exception {
    Estimate e = SpecEstimator.estimate(SpecEstimatorTest.SPEC);
    String html = EstimateReport.render(e, EstimateReport.Format.parse("html"));
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("http://", "<script");
    Document d = parse(html);
    assertThat(all(d, "title").getFirst().getTextContent())
        .isEqualTo("snapserve estimate: $2,063.15 USD a month");
    assertThat(all(d, "strong").getFirst().getTextContent()).isEqualTo("$2,063.15 USD");
    Element tbody = all(d, "tbody").getFirst();
    List<Element> rows = all(d, "tr").stream().filter(r -> r.getParentNode() == tbody).toList();
    assertThat(rows).hasSize(e.lineItems().size());
    LineItem first = e.lineItems().getFirst();
    NodeList cells = rows.getFirst().getElementsByTagName("td");
    assertThat(cells.item(0).getTextContent()).isEqualTo(first.service());
    assertThat(cells.item(1).getTextContent()).isEqualTo(first.item());
    assertThat(cells.item(5).getTextContent()).isEqualTo(first.formula());
    assertThat(all(d, "li")).hasSize(e.assumptions().size());
    assertThat(all(d, "li").getFirst().getTextContent()).isEqualTo(e.assumptions().getFirst());
    assertThat(all(d, "p").stream().map(Element::getTextContent))
        .anyMatch(p -> p.startsWith("us-east-1 catalog dated 2025-06-01 ("));
  }

  @Test
  void escapesEveryText() throws Exception {
    String item = "ml.<script>alert(\"x\")</script> & 'co'";
    Estimate e =
        new Estimate(
            new BigDecimal("1.50"),
            List.of(
                new LineItem(
                    "A<B",
                    item,
                    BigDecimal.ONE,
                    "h",
                    new BigDecimal("1.5"),
                    new BigDecimal("1.5"),
                    "1 h x $1.5 <= cap")),
            List.of("traffic > 0 & <b>bold</b>"),
            new Estimate.CatalogInfo("2025-06-01", "us-east-1", "pages & <notes>"));
    String html = EstimateReport.render(e, EstimateReport.Format.HTML);
    assertThat(html)
        .doesNotContain("<script>", "<b>", "<notes>", "A<B")
        .contains("ml.&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;")
        .contains("$1.50");
    Document d = parse(html);
    assertThat(all(d, "td").get(1).getTextContent()).isEqualTo(item);
    assertThat(all(d, "li").getFirst().getTextContent()).isEqualTo("traffic > 0 & <b>bold</b>");
  }

  @Test
  void compareEmbedsTheChartAsABase64Png() throws Exception {
    Comparison c = Comparison.of(ComparisonTest.withGpuThroughput(120_000), 1e5, 1e10, 11);
    String html = EstimateReport.html(c, 1000, 600);
    assertThat(html).contains("<img src=\"data:image/png;base64,");
    Document d = parse(html);
    Element img = all(d, "img").getFirst();
    Matcher m = Pattern.compile("data:image/png;base64,(.+)").matcher(img.getAttribute("src"));
    assertThat(m.matches()).isTrue();
    BufferedImage png =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    assertThat(png.getWidth()).isEqualTo(1000);
    assertThat(png.getHeight()).isEqualTo(600);
    // one column per option, one row per traffic level, every break-even listed
    assertThat(all(d, "th")).hasSize(1 + c.series().size());
    assertThat(all(d, "tr")).hasSize(1 + c.requestsPerMonth().size());
    assertThat(all(d, "li")).hasSize(c.breakEvens().size());
    assertThat(all(d, "strong").stream().map(Element::getTextContent))
        .anyMatch(s -> s.contains("the cheapest option changes here"));
  }
}
