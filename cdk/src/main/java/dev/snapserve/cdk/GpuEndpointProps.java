package dev.snapserve.cdk;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of a {@link GpuEndpoint}; build with {@link #builder()}. */
public final class GpuEndpointProps {
  private final IRepository imageRepository;
  private final String imageTag;
  private final String imageDigest;
  private final String instanceType;
  private final List<EndpointVariant> variants;
  private final int minInstances;
  private final int maxInstances;
  private final int targetInvocationsPerInstance;
  private final int dataCapturePercent;
  private final IBucket dataCaptureBucket;
  private final IBucket modelDataBucket;
  private final Map<String, String> environment;
  private final boolean networkIsolation;
  private final int p99ModelLatencyAlarmMs;

  private GpuEndpointProps(Builder b) {
    imageRepository = Objects.requireNonNull(b.imageRepository, "imageRepository is required");
    imageTag = b.imageTag;
    imageDigest = b.imageDigest;
    instanceType = Objects.requireNonNull(b.instanceType, "instanceType is required");
    variants = List.copyOf(Objects.requireNonNull(b.variants, "variants is required"));
    minInstances = b.minInstances;
    maxInstances = b.maxInstances;
    targetInvocationsPerInstance = b.targetInvocationsPerInstance;
    dataCapturePercent = b.dataCapturePercent;
    dataCaptureBucket = b.dataCaptureBucket;
    modelDataBucket = b.modelDataBucket;
    environment = Map.copyOf(b.environment);
    networkIsolation = b.networkIsolation;
    p99ModelLatencyAlarmMs = b.p99ModelLatencyAlarmMs;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The ECR repository of the endpoint-server image (pushed by the packager). */
  public IRepository imageRepository() {
    return imageRepository;
  }

  /** The image tag; give it or {@link #imageDigest()}. */
  public String imageTag() {
    return imageTag;
  }

  /** The image digest ({@code sha256:...}); give it or {@link #imageTag()}. */
  public String imageDigest() {
    return imageDigest;
  }

  /** The SageMaker instance type of every variant, e.g. {@code ml.g5.xlarge}. */
  public String instanceType() {
    return instanceType;
  }

  /** Production variants (A/B by weight). */
  public List<EndpointVariant> variants() {
    return variants;
  }

  /**
   * Instances per variant at least (and initially).
   *
   * @default 1
   */
  public int minInstances() {
    return minInstances;
  }

  /**
   * Instances per variant at most.
   *
   * @default 1: no scaling
   */
  public int maxInstances() {
    return maxInstances;
  }

  /**
   * Autoscaling target of {@code SageMakerVariantInvocationsPerInstance} (per minute).
   *
   * @default 1000
   */
  public int targetInvocationsPerInstance() {
    return targetInvocationsPerInstance;
  }

  /**
   * Share of requests (and responses) captured to S3, 0-100; 0 turns capture off.
   *
   * @default 0
   */
  public int dataCapturePercent() {
    return dataCapturePercent;
  }

  /**
   * Where captured data goes.
   *
   * @default a new encrypted, SSL-only bucket when {@link #dataCapturePercent()} > 0
   */
  public IBucket dataCaptureBucket() {
    return dataCaptureBucket;
  }

  /**
   * The bucket holding the variants' {@code modelDataKey} archives.
   *
   * @default none: images carry the bundles
   */
  public IBucket modelDataBucket() {
    return modelDataBucket;
  }

  /**
   * Extra container environment ({@code SNAPSERVE_*} knobs).
   *
   * @default none
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Run containers without network access (model data is still downloaded by SageMaker).
   *
   * @default true
   */
  public boolean networkIsolation() {
    return networkIsolation;
  }

  /**
   * Alarm when a variant's p99 {@code ModelLatency} exceeds this many milliseconds.
   *
   * @default 500
   */
  public int p99ModelLatencyAlarmMs() {
    return p99ModelLatencyAlarmMs;
  }

  /** Builds {@link GpuEndpointProps}. */
  public static final class Builder {
    private IRepository imageRepository;
    private String imageTag;
    private String imageDigest;
    private String instanceType;
    private List<EndpointVariant> variants;
    private int minInstances = 1;
    private int maxInstances = 1;
    private int targetInvocationsPerInstance = 1000;
    private int dataCapturePercent;
    private IBucket dataCaptureBucket;
    private IBucket modelDataBucket;
    private Map<String, String> environment = Map.of();
    private boolean networkIsolation = true;
    private int p99ModelLatencyAlarmMs = 500;

    private Builder() {}

    public Builder imageRepository(IRepository v) {
      imageRepository = v;
      return this;
    }

    public Builder imageTag(String v) {
      imageTag = v;
      return this;
    }

    public Builder imageDigest(String v) {
      imageDigest = v;
      return this;
    }

    public Builder instanceType(String v) {
      instanceType = v;
      return this;
    }

    public Builder variants(List<EndpointVariant> v) {
      variants = v;
      return this;
    }

    public Builder minInstances(int v) {
      minInstances = v;
      return this;
    }

    public Builder maxInstances(int v) {
      maxInstances = v;
      return this;
    }

    public Builder targetInvocationsPerInstance(int v) {
      targetInvocationsPerInstance = v;
      return this;
    }

    public Builder dataCapturePercent(int v) {
      dataCapturePercent = v;
      return this;
    }

    public Builder dataCaptureBucket(IBucket v) {
      dataCaptureBucket = v;
      return this;
    }

    public Builder modelDataBucket(IBucket v) {
      modelDataBucket = v;
      return this;
    }

    public Builder environment(Map<String, String> v) {
      environment = v;
      return this;
    }

    public Builder networkIsolation(boolean v) {
      networkIsolation = v;
      return this;
    }

    public Builder p99ModelLatencyAlarmMs(int v) {
      p99ModelLatencyAlarmMs = v;
      return this;
    }

    public GpuEndpointProps build() {
      return new GpuEndpointProps(this);
    }
  }
}
