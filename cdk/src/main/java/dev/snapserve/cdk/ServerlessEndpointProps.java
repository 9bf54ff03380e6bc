package dev.snapserve.cdk;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of a {@link ServerlessEndpoint}; build with {@link #builder()}. */
public final class ServerlessEndpointProps {
  private final IRepository imageRepository;
  private final String imageTag;
  private final String imageDigest;
  private final String model;
  private final String version;
  private final int memorySizeMiB;
  private final int maxConcurrency;
  private final Integer provisionedConcurrency;
  private final IBucket modelDataBucket;
  private final String modelDataKey;
  private final Map<String, String> environment;
  private final boolean networkIsolation;

  private ServerlessEndpointProps(Builder b) {
    imageRepository = Objects.requireNonNull(b.imageRepository, "imageRepository is required");
    imageTag = b.imageTag;
    imageDigest = b.imageDigest;
    model = Objects.requireNonNull(b.model, "model is required");
    version = Objects.requireNonNull(b.version, "version is required");
    memorySizeMiB = b.memorySizeMiB;
    maxConcurrency = b.maxConcurrency;
    provisionedConcurrency = b.provisionedConcurrency;
    modelDataBucket = b.modelDataBucket;
    modelDataKey = b.modelDataKey;
    environment = Map.copyOf(b.environment);
    networkIsolation = b.networkIsolation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The ECR repository of the endpoint-server image. */
  public IRepository imageRepository() {
    return imageRepository;
  }

  /** The image tag; give it or {@link #imageDigest()}. */
  public String imageTag() {
    return imageTag;
  }

  /** The image digest; give it or {@link #imageTag()}. */
  public String imageDigest() {
    return imageDigest;
  }

  /** The model's name in the spec. */
  public String model() {
    return model;
  }

  /** The model version served. */
  public String version() {
    return version;
  }

  /**
   * Memory: 1024, 2048, ... 6144 MiB.
   *
   * @default 2048
   */
  public int memorySizeMiB() {
    return memorySizeMiB;
  }

  /**
   * Concurrent invocations at most, 1-200.
   *
   * @default 20
   */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /**
   * Warm instances kept ready (billed while idle); at most {@link #maxConcurrency()}.
   *
   * @default none: cold starts allowed
   */
  public Integer provisionedConcurrency() {
    return provisionedConcurrency;
  }

  /**
   * The bucket holding {@link #modelDataKey()}.
   *
   * @default none: the image carries the bundle
   */
  public IBucket modelDataBucket() {
    return modelDataBucket;
  }

  /**
   * The key of the bundle's {@code model.tar.gz} in {@link #modelDataBucket()}.
   *
   * @default none
   */
  public String modelDataKey() {
    return modelDataKey;
  }

  /**
   * Extra container environment.
   *
   * @default none
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Run the container without network access.
   *
   * @default true
   */
  public boolean networkIsolation() {
    return networkIsolation;
  }

  /** Builds {@link ServerlessEndpointProps}. */
  public static final class Builder {
    private IRepository imageRepository;
    private String imageTag;
    private String imageDigest;
    private String model;
    private String version;
    private int memorySizeMiB = 2048;
    private int maxConcurrency = 20;
    private Integer provisionedConcurrency;
    private IBucket modelDataBucket;
    private String modelDataKey;
    private Map<String, String> environment = Map.of();
    private boolean networkIsolation = true;

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

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder version(String v) {
      version = v;
      return this;
    }

    public Builder memorySizeMiB(int v) {
      memorySizeMiB = v;
      return this;
    }

    public Builder maxConcurrency(int v) {
      maxConcurrency = v;
      return this;
    }

    public Builder provisionedConcurrency(Integer v) {
      provisionedConcurrency = v;
      return this;
    }

    public Builder modelDataBucket(IBucket v) {
      modelDataBucket = v;
      return this;
    }

    public Builder modelDataKey(String v) {
      modelDataKey = v;
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

    public ServerlessEndpointProps build() {
      return new ServerlessEndpointProps(this);
    }
  }
}
