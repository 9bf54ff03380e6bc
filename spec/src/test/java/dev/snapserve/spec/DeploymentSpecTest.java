package dev.snapserve.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed example spec, and the JSON Schema editors use for it. */
class DeploymentSpecTest {
  static final Path ROOT = findRoot();
  static final Path EXAMPLE = ROOT.resolve("snapserve.yaml");

  static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("snapserve.yaml")) && Files.exists(p.resolve("mvnw"))) return p;
    }
    throw new IllegalStateException("repository root not found");
  }

  @Test
  void exampleSpecLoadsWithItsRoutesTargetsAndTraffic() {
    DeploymentSpec spec = DeploymentSpec.load(EXAMPLE);
    assertThat(spec.service()).isEqualTo("digits-api");
    assertThat(spec.region()).isEqualTo("us-east-1");
    assertThat(spec.models().get("digits")).containsOnlyKeys("1", "2", "3");
    assertThat(spec.version(new ModelRef("digits", "1")).bundle())
        .isEqualTo(ROOT.resolve("models/demo"));
    assertThat(spec.routes()).extracting(Route::apiVersion).containsExactly("v1", "v2", "v3");
    Route v2 = spec.routes().get(1);
    assertThat(v2.model()).contains(new ModelRef("digits", "2"));
    assertThat(v2.canary()).contains(new Route.Canary(new ModelRef("digits", "3"), 10));
    Target.Lambda fn = (Target.Lambda) spec.target("fn");
    assertThat(fn.architecture()).isEqualTo(Target.Architecture.ARM64);
    assertThat(fn.snapStart()).isTrue();
    assertThat(fn.reservedConcurrency()).contains(100);
    Target.GpuEndpoint gpu = (Target.GpuEndpoint) spec.target("gpu");
    assertThat(gpu.variants())
        .extracting(Target.Variant::weightPercent)
        .containsExactly(80.0, 20.0);
    assertThat(gpu.image().uri()).endsWith("/snapserve-digits:0.1.0");
    assertThat(spec.api().auth().type()).isEqualTo(Api.AuthType.JWT);
    assertThat(spec.traffic().requestsPerMonth()).isEqualTo(5_000_000);
    assertThat(spec.budgetMonthlyUsd()).contains(2500.0);
  }

  @Test
  void exampleSpecBundlesExist() {
    DeploymentSpec spec = DeploymentSpec.load(EXAMPLE);
    spec.models().values().stream()
        .flatMap(v -> v.values().stream())
        .forEach(v -> assertThat(v.bundle().resolve("manifest.json")).exists());
  }

  @Test
  void exampleSpecValidatesAgainstTheJsonSchema() throws Exception {
    JsonNode yaml = new YAMLMapper().readTree(EXAMPLE.toFile());
    assertThat(schema().validate(yaml)).isEmpty();
  }

  @Test
  void schemaCatchesWhatEditorsShouldFlag() throws Exception {
    JsonNode bad =
        new YAMLMapper()
            .readTree(
                Files.readString(EXAMPLE)
                    .replace("memoryMiB: 2048", "memoryMiB: 20000")
                    .replace("region: us-east-1", "region: mars-1"));
    assertThat(schema().validate(bad))
        .extracting(m -> m.getInstanceLocation().toString())
        .anyMatch(l -> l.contains("region"))
        .anyMatch(l -> l.contains("memoryMiB"));
  }

  @Test
  void schemaEnumsMatchTheValidatorsCatalog() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(ROOT.resolve("snapserve.schema.json").toFile());
    assertThat(strings(schema.at("/properties/region/enum"))).isEqualTo(Catalog.regions());
    assertThat(
            strings(
                schema.at(
                    "/properties/targets/additionalProperties/oneOf/1/properties/instanceType/enum")))
        .isEqualTo(Catalog.sagemakerInstanceTypes());
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> DeploymentSpec.load(ROOT.resolve("nope.yaml")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("nope.yaml does not exist");
  }

  private static Set<String> strings(JsonNode array) {
    assertThat(array.isArray()).isTrue();
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonSchema schema() throws Exception {
    JsonNode node = new ObjectMapper().readTree(ROOT.resolve("snapserve.schema.json").toFile());
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
  }
}
