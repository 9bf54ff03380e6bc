package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.configuration.ImageConfiguration;
import dev.snapserve.packager.PackagerException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What `publish --ecr` can be tested on without an ECR: the reference, the token, and the Jib
 * target built from them. The push itself (Jib over HTTPS to ECR) is not exercised here.
 */
class EcrPushTest {
  private static final String REF =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/snapserve/digits:1.0";

  @Test
  void parsesAnEcrReference() {
    EcrPush.EcrReference r = EcrPush.parse(REF);
    assertThat(r.account()).isEqualTo("123456789012");
    assertThat(r.region()).isEqualTo("eu-west-1");
    assertThat(r.registry()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    assertThat(r.repository()).isEqualTo("snapserve/digits");
    assertThat(r.tag()).isEqualTo("1.0");
    assertThat(r).hasToString(REF);
    assertThat(EcrPush.parse("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/m:v2").region())
        .isEqualTo("us-gov-west-1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "docker.io/library/nginx:1|is not an ECR image reference",
        "12345678901.dkr.ecr.eu-west-1.amazonaws.com/r:1|is not an ECR image reference",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/r@sha256:abcd|is not an ECR image reference",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/repo|has no tag",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/Repo:1|ECR repository 'Repo' is invalid",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/a//b:1|ECR repository 'a//b' is invalid",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/r:.hidden|image tag '.hidden' is invalid",
      })
  void refusesWhatEcrWouldRefuseWithAClearMessage(String reference, String message) {
    assertThatThrownBy(() -> EcrPush.parse(reference))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodesTheAuthorizationToken() {
    String token =
        Base64.getEncoder()
            .encodeToString("AWS:eyJwYXlsb2FkIjoi:x=".getBytes(StandardCharsets.UTF_8));
    Credential c = EcrPush.decodeToken(token);
    assertThat(c.getUsername()).isEqualTo("AWS");
    // only the first colon separates: the password may hold more
    assertThat(c.getPassword()).isEqualTo("eyJwYXlsb2FkIjoi:x=");
  }

  @Test
  void refusesMalformedTokens() {
    assertThatThrownBy(() -> EcrPush.decodeToken("not base64!"))
        .isInstanceOf(PackagerException.class)
        .hasMessage("the ECR authorization token is not base64");
    String noColon =
        Base64.getEncoder().encodeToString("AWSpassword".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> EcrPush.decodeToken(noColon))
        .hasMessage("the ECR authorization token is not of the form user:password");
  }

  @Test
  void theContainerizerTargetsTheEcrRepositoryWithTheTokensCredential() throws Exception {
    Credential token = Credential.from("AWS", "secret");
    Containerizer c = EcrPush.containerizer(EcrPush.parse(REF), EcrPush.retriever(token));
    // Jib does not expose a containerizer's target: read it the way Jib does
    Method m = Containerizer.class.getDeclaredMethod("getImageConfiguration");
    m.setAccessible(true);
    ImageConfiguration target = (ImageConfiguration) m.invoke(c);
    assertThat(target.getImageRegistry()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    assertThat(target.getImageRepository()).isEqualTo("snapserve/digits");
    assertThat(target.getImageQualifier()).isEqualTo("1.0");
    assertThat(target.getTarPath()).isEmpty();
    assertThat(target.getDockerClient()).isEmpty();
    assertThat(target.getCredentialRetrievers()).hasSize(1);
    CredentialRetriever retriever = target.getCredentialRetrievers().getFirst();
    assertThat(retriever.retrieve()).contains(token);
  }
}
