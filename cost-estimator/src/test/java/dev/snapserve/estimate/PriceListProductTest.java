package dev.snapserve.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snapserve.estimate.internal.PriceListProduct;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Price List product parser, on the recorded responses (see pricelist/README.md). */
class PriceListProductTest {
  static List<PriceListProduct> page(String name) throws Exception {
    try (InputStream in = PriceListProductTest.class.getResourceAsStream("/pricelist/" + name)) {
      List<PriceListProduct> out = new ArrayList<>();
      new ObjectMapper()
          .readTree(in)
          .path("PriceList")
          .forEach(s -> out.add(PriceListProduct.parse(s.asText())));
      return out;
    }
  }

  @Test
  void readsAttributesAndTieredDimensionsInOrder() throws Exception {
    PriceListProduct duration =
        page("AWSLambda-1.json").stream()
            .filter(p -> p.attribute("group").equals("AWS-Lambda-Duration"))
            .findFirst()
            .orElseThrow();
    assertThat(duration.attribute("regionCode")).isEqualTo("us-east-1");
    assertThat(duration.attribute("productFamily")).isEqualTo("Serverless");
    var d = duration.dimensions();
    assertThat(d).hasSize(3);
    assertThat(d.get(0).begin()).isEqualByComparingTo("0");
    assertThat(d.get(0).end()).isEqualByComparingTo("6000000000");
    assertThat(d.get(0).usd()).isEqualByComparingTo("0.0000166667");
    assertThat(d.get(0).unit()).isEqualTo("Lambda-GB-Second");
    assertThat(d.get(1).end()).isEqualByComparingTo("15000000000");
    assertThat(d.get(2).end()).as("Inf").isNull();
    assertThat(d.get(2).usd()).isEqualByComparingTo("0.0000133334");
  }

  /**
   * The one response captured from AWS itself (pricelist/captured/, see the README there): another
   * region's usage type carries its prefix, and the unit is singular; the group is what matches.
   */
  @Test
  void readsACapturedAwsResponse() throws Exception {
    List<PriceListProduct> products = page("captured/AWSLambda-APN1-Request.json");
    assertThat(products).hasSize(1);
    PriceListProduct requests = products.getFirst();
    assertThat(requests.attribute("group")).isEqualTo("AWS-Lambda-Requests");
    assertThat(requests.attribute("usagetype")).isEqualTo("APN1-Request");
    assertThat(requests.attribute("regionCode")).isEqualTo("ap-northeast-1");
    assertThat(requests.dimensions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.unit()).isEqualTo("Request");
              assertThat(d.begin()).isEqualByComparingTo("0");
              assertThat(d.end()).as("Inf").isNull();
              assertThat(d.usd()).isEqualByComparingTo("0.0000002");
            });
  }

  @Test
  void readsHourlyInstancePrices() throws Exception {
    var g4 =
        page("AmazonSageMaker-1.json").stream()
            .filter(p -> p.attribute("usagetype").equals("USE1-Host:ml.g4dn.xlarge"))
            .findFirst()
            .orElseThrow();
    assertThat(g4.attribute("component")).isEqualTo("Hosting");
    assertThat(g4.dimensions())
        .singleElement()
        .satisfies(x -> assertThat(x.unit()).isEqualTo("Hrs"));
    assertThat(g4.dimensions().getFirst().usd()).isEqualByComparingTo("0.7364");
  }

  @Test
  void aProductThatIsNotJsonIsAClearError() {
    assertThatThrownBy(() -> PriceListProduct.parse("{\"product\": "))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("Price List product is not JSON");
  }
}
