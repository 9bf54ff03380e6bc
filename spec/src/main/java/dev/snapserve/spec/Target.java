package dev.snapserve.spec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a route runs: a Lambda function, a SageMaker real-time (GPU) or serverless endpoint. */
public sealed interface Target {
  String name();

  /** Lambda's limits, as validated here and documented in the README. */
  int MIN_MEMORY_MIB = 128;

  int MAX_MEMORY_MIB = 10_240;

  int MIN_EPHEMERAL_MIB = 512;

  int MAX_EPHEMERAL_MIB = 10_240;

  /** The memory sizes a SageMaker serverless endpoint can have, ascending. */
  List<Integer> SERVERLESS_MEMORY_MIB = List.of(1024, 2048, 3072, 4096, 5120, 6144);

  /** A Lambda function on the java21 managed runtime. */
  record Lambda(
      String name,
      int memoryMiB,
      Architecture architecture,
      boolean snapStart,
      int timeoutSeconds,
      int ephemeralStorageMiB,
      Optional<Integer> reservedConcurrency,
      int provisionedConcurrency)
      implements Target {}

  /** A SageMaker real-time endpoint with autoscaling; variants split traffic for A/B tests. */
  record GpuEndpoint(
      String name,
      ImageRef image,
      String instanceType,
      int minInstances,
      int maxInstances,
      int targetInvocationsPerInstance,
      double dataCapturePercent,
      List<Variant> variants)
      implements Target {}

  /** A SageMaker serverless endpoint. */
  record ServerlessEndpoint(
      String name, ImageRef image, int memoryMiB, int maxConcurrency, int provisionedConcurrency)
      implements Target {}

  /** A production variant of an endpoint: a model version and its traffic weight (percent). */
  record Variant(String name, ModelRef model, double weightPercent) {}

  /** An endpoint image in ECR, pushed by {@code snapserve publish --ecr}: a tag or a digest. */
  record ImageRef(String repository, Optional<String> tag, Optional<String> digest) {
    /** An ECR repository URI, {@code ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/NAME}. */
    public static final Pattern ECR =
        Pattern.compile(
            "(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([a-z0-9._/-]+)");

    /** {@code repository:tag} or {@code repository@digest}. */
    public String uri() {
      return digest.map(d -> repository + "@" + d).orElseGet(() -> repository + ":" + tag.get());
    }

    /** The repository's AWS account. */
    public String account() {
      return ecr().group(1);
    }

    /** The repository's region. */
    public String region() {
      return ecr().group(2);
    }

    /** The repository's name. */
    public String name() {
      return ecr().group(3);
    }

    private Matcher ecr() {
      Matcher m = ECR.matcher(repository);
      if (!m.matches()) throw new IllegalStateException("not an ECR repository: " + repository);
      return m;
    }
  }

  /** Lambda instruction set architectures. */
  enum Architecture {
    ARM64("arm64"),
    X86_64("x86_64");

    private final String id;

    Architecture(String id) {
      this.id = id;
    }

    /** The name AWS uses ({@code arm64}, {@code x86_64}). */
    public String id() {
      return id;
    }
  }
}
