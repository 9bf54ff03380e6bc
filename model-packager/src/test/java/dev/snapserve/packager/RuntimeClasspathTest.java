package dev.snapserve.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RuntimeClasspathTest {
  @Test
  void resolvesTheLambdaAdapterAndItsRuntimeJars() {
    RuntimeClasspath cp = RuntimeClasspath.of("snapserve-aws-lambda");
    assertThat(cp.entries().getFirst().fileName()).isEqualTo("snapserve-aws-lambda.jar");
    assertThat(cp.entries())
        .extracting(RuntimeClasspath.Entry::fileName)
        .anyMatch(n -> n.startsWith("onnxruntime-"))
        .anyMatch(n -> n.startsWith("aws-lambda-java-core-"))
        .noneMatch(n -> n.startsWith("functions-framework-api"));
    assertThat(cp.entries()).allMatch(e -> Files.exists(e.source()));
  }

  @Test
  void gcfLeavesOutTheProvidedFrameworkApi() {
    assertThat(RuntimeClasspath.of("snapserve-gcp-functions").entries())
        .extracting(RuntimeClasspath.Entry::fileName)
        .noneMatch(n -> n.startsWith("functions-framework-api"))
        .anyMatch(n -> n.startsWith("snapserve-functions-"));
  }

  @Test
  void unknownAdapterIsAClearError() {
    assertThatThrownBy(() -> RuntimeClasspath.of("snapserve-nope"))
        .isInstanceOf(PackagerException.class)
        .hasMessageContaining("snapserve-nope is not on snapserve's classpath");
  }
}
