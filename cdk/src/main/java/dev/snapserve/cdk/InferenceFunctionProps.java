package dev.snapserve.cdk;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of an {@link InferenceFunction}; build with {@link #builder()}. */
public final class InferenceFunctionProps {
  private final Path codeZip;
  private final List<FunctionRoute> routes;
  private final Architecture architecture;
  private final int memorySizeMiB;
  private final int timeoutSeconds;
  private final int ephemeralStorageMiB;
  private final boolean snapStart;
  private final Integer reservedConcurrentExecutions;
  private final Integer provisionedConcurrentExecutions;
  private final RetentionDays logRetention;
  private final IBucket bundleBucket;
  private final String bundlePrefix;
  private final Map<String, String> environment;
  private final ILambdaDeploymentConfig deploymentConfig;
  private final double errorRateAlarmPercent;
  private final int p99LatencyAlarmMs;

  private InferenceFunctionProps(Builder b) {
    codeZip = Objects.requireNonNull(b.codeZip, "codeZip is required");
    routes = List.copyOf(Objects.requireNonNull(b.routes, "routes is required"));
    architecture = b.architecture;
    memorySizeMiB = b.memorySizeMiB;
    timeoutSeconds = b.timeoutSeconds;
    ephemeralStorageMiB = b.ephemeralStorageMiB;
    snapStart = b.snapStart;
    reservedConcurrentExecutions = b.reservedConcurrentExecutions;
    provisionedConcurrentExecutions = b.provisionedConcurrentExecutions;
    logRetention = b.logRetention;
    bundleBucket = b.bundleBucket;
    bundlePrefix = b.bundlePrefix;
    environment = Map.copyOf(b.environment);
    deploymentConfig = b.deploymentConfig;
    errorRateAlarmPercent = b.errorRateAlarmPercent;
    p99LatencyAlarmMs = b.p99LatencyAlarmMs;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Lambda zip built by the packager: handler jars under {@code lib/}, bundles under {@code
   * models/<model>/<version>/}.
   */
  public Path codeZip() {
    return codeZip;
  }

  /** The API versions this function serves; one alias and one deployment group each. */
  public List<FunctionRoute> routes() {
    return routes;
  }

  /**
   * Instruction set.
   *
   * @default {@code Architecture.ARM_64}
   */
  public Architecture architecture() {
    return architecture;
  }

  /**
   * Memory, 128-10240 MiB; CPU scales with it.
   *
   * @default 2048
   */
  public int memorySizeMiB() {
    return memorySizeMiB;
  }

  /**
   * Invocation timeout, 1-900 seconds (an HTTP API waits at most 30).
   *
   * @default 10
   */
  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /**
   * {@code /tmp} size, 512-10240 MiB; SnapStart allows at most 512.
   *
   * @default 512
   */
  public int ephemeralStorageMiB() {
    return ephemeralStorageMiB;
  }

  /**
   * SnapStart on published versions: init (bundle load, session, priming) is snapshotted.
   *
   * @default true
   */
  public boolean snapStart() {
    return snapStart;
  }

  /**
   * Concurrency reserved for (and capping) the function.
   *
   * @default none: the account's unreserved pool
   */
  public Integer reservedConcurrentExecutions() {
    return reservedConcurrentExecutions;
  }

  /**
   * Provisioned concurrency of every alias; Lambda refuses it together with SnapStart.
   *
   * @default none
   */
  public Integer provisionedConcurrentExecutions() {
    return provisionedConcurrentExecutions;
  }

  /**
   * Retention of the function's log group.
   *
   * @default {@code RetentionDays.ONE_MONTH}
   */
  public RetentionDays logRetention() {
    return logRetention;
  }

  /**
   * A bucket the function loads its bundle from at init ({@code SNAPSERVE_BUNDLE_URI}, the
   * adapter's S3 source: one model version, so every route must use the same one); the role may
   * read only that version's prefix.
   *
   * @default none: bundles ship in the zip
   */
  public IBucket bundleBucket() {
    return bundleBucket;
  }

  /**
   * The key prefix under which {@code snapserve publish} wrote {@code <model>/<version>/} in {@link
   * #bundleBucket()}, e.g. {@code bundles/}.
   *
   * @default none: {@code <model>/<version>/} at the bucket's root
   */
  public String bundlePrefix() {
    return bundlePrefix;
  }

  /**
   * Extra environment variables ({@code SNAPSERVE_*} knobs of the core).
   *
   * @default none
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * How CodeDeploy shifts each alias to a new version.
   *
   * @default {@code LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES}
   */
  public ILambdaDeploymentConfig deploymentConfig() {
    return deploymentConfig;
  }

  /**
   * Rollback when an alias's errors exceed this share of its invocations (1-minute periods).
   *
   * @default 1
   */
  public double errorRateAlarmPercent() {
    return errorRateAlarmPercent;
  }

  /**
   * Rollback when an alias's p99 duration exceeds this many milliseconds.
   *
   * @default 1000
   */
  public int p99LatencyAlarmMs() {
    return p99LatencyAlarmMs;
  }

  /** Builds {@link InferenceFunctionProps}; {@code codeZip} and {@code routes} are required. */
  public static final class Builder {
    private Path codeZip;
    private List<FunctionRoute> routes;
    private Architecture architecture = Architecture.ARM_64;
    private int memorySizeMiB = 2048;
    private int timeoutSeconds = 10;
    private int ephemeralStorageMiB = 512;
    private boolean snapStart = true;
    private Integer reservedConcurrentExecutions;
    private Integer provisionedConcurrentExecutions;
    private RetentionDays logRetention = RetentionDays.ONE_MONTH;
    private IBucket bundleBucket;
    private String bundlePrefix;
    private Map<String, String> environment = Map.of();
    private ILambdaDeploymentConfig deploymentConfig =
        LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES;
    private double errorRateAlarmPercent = 1;
    private int p99LatencyAlarmMs = 1000;

    private Builder() {}

    public Builder codeZip(Path v) {
      codeZip = v;
      return this;
    }

    public Builder routes(List<FunctionRoute> v) {
      routes = v;
      return this;
    }

    public Builder architecture(Architecture v) {
      architecture = v;
      return this;
    }

    public Builder memorySizeMiB(int v) {
      memorySizeMiB = v;
      return this;
    }

    public Builder timeoutSeconds(int v) {
      timeoutSeconds = v;
      return this;
    }

    public Builder ephemeralStorageMiB(int v) {
      ephemeralStorageMiB = v;
      return this;
    }

    public Builder snapStart(boolean v) {
      snapStart = v;
      return this;
    }

    public Builder reservedConcurrentExecutions(Integer v) {
      reservedConcurrentExecutions = v;
      return this;
    }

    public Builder provisionedConcurrentExecutions(Integer v) {
      provisionedConcurrentExecutions = v;
      return this;
    }

    public Builder logRetention(RetentionDays v) {
      logRetention = v;
      return this;
    }

    public Builder bundleBucket(IBucket v) {
      bundleBucket = v;
      return this;
    }

    public Builder bundlePrefix(String v) {
      bundlePrefix = v;
      return this;
    }

    public Builder environment(Map<String, String> v) {
      environment = v;
      return this;
    }

    public Builder deploymentConfig(ILambdaDeploymentConfig v) {
      deploymentConfig = v;
      return this;
    }

    public Builder errorRateAlarmPercent(double v) {
      errorRateAlarmPercent = v;
      return this;
    }

    public Builder p99LatencyAlarmMs(int v) {
      p99LatencyAlarmMs = v;
      return this;
    }

    public InferenceFunctionProps build() {
      return new InferenceFunctionProps(this);
    }
  }
}
