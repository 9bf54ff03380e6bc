package dev.snapserve.cdk;

import dev.snapserve.cdk.internal.Nag;
import dev.snapserve.cdk.internal.SageMakerMetrics;
import dev.snapserve.cdk.internal.SageMakerModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.BasicTargetTrackingScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.PredefinedMetric;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sagemaker.CfnEndpoint;
import software.amazon.awscdk.services.sagemaker.CfnEndpointConfig;
import software.amazon.awscdk.services.sagemaker.CfnModel;
import software.constructs.Construct;

/**
 * A SageMaker real-time endpoint running the endpoint-server image: one model and production
 * variant per model version (A/B by weight), optional data capture to S3, target-tracking
 * autoscaling on {@code SageMakerVariantInvocationsPerInstance} and alarms per variant.
 */
public final class GpuEndpoint extends Construct {
  private static final String CAPTURE_PREFIX = "data-capture";

  private final CfnEndpoint endpoint;
  private final CfnEndpointConfig endpointConfig;
  private final Role role;
  private final IBucket dataCaptureBucket;
  private final List<String> variantNames = new ArrayList<>();
  private final Map<String, ScalableTarget> scalableTargets = new LinkedHashMap<>();
  private final List<Alarm> alarms = new ArrayList<>();

  public GpuEndpoint(Construct scope, String id, GpuEndpointProps props) {
    super(scope, id);
    validate(props);
    String image =
        SageMakerModels.imageUri(props.imageRepository(), props.imageTag(), props.imageDigest());
    role = SageMakerModels.executionRole(this, props.imageRepository());

    List<CfnEndpointConfig.ProductionVariantProperty> variants = new ArrayList<>();
    for (EndpointVariant v : props.variants()) {
      CfnModel model =
          SageMakerModels.model(
              this,
              "Model" + v.name(),
              role,
              image,
              v.model(),
              v.version(),
              props.modelDataBucket(),
              v.modelDataKey(),
              props.environment(),
              props.networkIsolation());
      variants.add(
          CfnEndpointConfig.ProductionVariantProperty.builder()
              .variantName(v.name())
              .modelName(model.getAttrModelName())
              .instanceType(props.instanceType())
              .initialInstanceCount(props.minInstances())
              .initialVariantWeight(v.weightPercent())
              .build());
      variantNames.add(v.name());
    }

    CfnEndpointConfig.Builder config =
        CfnEndpointConfig.Builder.create(this, "Config").productionVariants(variants);
    if (props.dataCapturePercent() > 0) {
      dataCaptureBucket =
          props.dataCaptureBucket() != null
              ? props.dataCaptureBucket()
              : Bucket.Builder.create(this, "DataCapture")
                  .encryption(BucketEncryption.S3_MANAGED)
                  .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                  .enforceSsl(true)
                  .build();
      // PutObject under the capture prefix only (grantPut would add s3:Abort* and legal holds)
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("s3:PutObject"))
              .resources(List.of(dataCaptureBucket.arnForObjects(CAPTURE_PREFIX + "/*")))
              .build());
      if (dataCaptureBucket.getEncryptionKey() != null) {
        dataCaptureBucket.getEncryptionKey().grantEncrypt(role);
      }
      Nag.suppress(
          role,
          "AwsSolutions-IAM5",
          "SageMaker writes capture files under keys it generates (endpoint/variant/date);"
              + " the grant is PutObject below the capture prefix only",
          Nag.regex("^Resource::.*/" + CAPTURE_PREFIX + "/\\*$"));
      if (props.dataCaptureBucket() == null) {
        Nag.suppress(
            dataCaptureBucket,
            "AwsSolutions-S1",
            "only this endpoint's role writes here and the bucket is SSL-only, private and"
                + " encrypted; object-level auditing belongs in CloudTrail data events");
      }
      config.dataCaptureConfig(
          CfnEndpointConfig.DataCaptureConfigProperty.builder()
              .enableCapture(true)
              .initialSamplingPercentage(props.dataCapturePercent())
              .destinationS3Uri(dataCaptureBucket.s3UrlForObject(CAPTURE_PREFIX))
              .captureOptions(
                  List.of(
                      CfnEndpointConfig.CaptureOptionProperty.builder()
                          .captureMode("Input")
                          .build(),
                      CfnEndpointConfig.CaptureOptionProperty.builder()
                          .captureMode("Output")
                          .build()))
              .build());
    } else {
      dataCaptureBucket = null;
    }
    endpointConfig = config.build();
    endpointConfig.getNode().addDependency(role);
    endpoint =
        CfnEndpoint.Builder.create(this, "Endpoint")
            .endpointConfigName(endpointConfig.getAttrEndpointConfigName())
            .build();

    for (String variant : variantNames) {
      if (props.maxInstances() > props.minInstances()) {
        ScalableTarget target =
            ScalableTarget.Builder.create(this, "Scaling" + variant)
                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId("endpoint/" + endpoint.getAttrEndpointName() + "/variant/" + variant)
                .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                .minCapacity(props.minInstances())
                .maxCapacity(props.maxInstances())
                .build();
        target.getNode().addDependency(endpoint);
        target.scaleToTrackMetric(
            "InvocationsPerInstance",
            BasicTargetTrackingScalingPolicyProps.builder()
                .predefinedMetric(PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE)
                .targetValue(props.targetInvocationsPerInstance())
                .scaleOutCooldown(Duration.minutes(1))
                .scaleInCooldown(Duration.minutes(5))
                .build());
        scalableTargets.put(variant, target);
      }
      alarms.add(
          Alarm.Builder.create(this, "Errors" + variant)
              .metric(metric("Invocation5XXErrors", variant, "Sum"))
              .threshold(0)
              .evaluationPeriods(1)
              .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
              .treatMissingData(TreatMissingData.NOT_BREACHING)
              .alarmDescription("variant " + variant + ": 5xx from the model container")
              .build());
      alarms.add(
          Alarm.Builder.create(this, "LatencyP99" + variant)
              // ModelLatency is reported in microseconds
              .metric(metric("ModelLatency", variant, "p99"))
              .threshold(props.p99ModelLatencyAlarmMs() * 1000.0)
              .evaluationPeriods(3)
              .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
              .treatMissingData(TreatMissingData.NOT_BREACHING)
              .alarmDescription(
                  "variant "
                      + variant
                      + ": p99 model latency above "
                      + props.p99ModelLatencyAlarmMs()
                      + " ms")
              .build());
    }
  }

  private static void validate(GpuEndpointProps p) {
    if (p.variants().isEmpty()) throw new IllegalArgumentException("variants must not be empty");
    Set<String> names = new LinkedHashSet<>();
    for (EndpointVariant v : p.variants()) {
      if (!names.add(v.name())) {
        throw new IllegalArgumentException("variants: duplicate name " + v.name());
      }
    }
    if (!p.instanceType().startsWith("ml.")) {
      throw new IllegalArgumentException(
          "instanceType must be a SageMaker type like ml.g5.xlarge, got " + p.instanceType());
    }
    if (p.minInstances() < 1 || p.maxInstances() < p.minInstances()) {
      throw new IllegalArgumentException(
          "need 1 <= minInstances <= maxInstances, got "
              + p.minInstances()
              + " and "
              + p.maxInstances());
    }
    if (p.dataCapturePercent() < 0 || p.dataCapturePercent() > 100) {
      throw new IllegalArgumentException(
          "dataCapturePercent must be 0-100, got " + p.dataCapturePercent());
    }
  }

  /** A per-variant metric of this endpoint ({@code AWS/SageMaker}, 1-minute periods). */
  public Metric metric(String name, String variant, String statistic) {
    return SageMakerMetrics.variant(
        SageMakerMetrics.ENDPOINT_NAMESPACE, name, endpointName(), variant, statistic);
  }

  /** A per-variant instance metric ({@code /aws/sagemaker/Endpoints}: GPUUtilization, ...). */
  public Metric instanceMetric(String name, String variant) {
    return SageMakerMetrics.variant(
        SageMakerMetrics.INSTANCE_NAMESPACE, name, endpointName(), variant, "Average");
  }

  public CfnEndpoint endpoint() {
    return endpoint;
  }

  public String endpointName() {
    return endpoint.getAttrEndpointName();
  }

  public CfnEndpointConfig endpointConfig() {
    return endpointConfig;
  }

  public Role role() {
    return role;
  }

  /** The data capture bucket, or null when capture is off. */
  public IBucket dataCaptureBucket() {
    return dataCaptureBucket;
  }

  public List<String> variantNames() {
    return Collections.unmodifiableList(variantNames);
  }

  /** Variant to its autoscaling target; empty when {@code maxInstances == minInstances}. */
  public Map<String, ScalableTarget> scalableTargets() {
    return Collections.unmodifiableMap(scalableTargets);
  }

  public List<Alarm> alarms() {
    return Collections.unmodifiableList(alarms);
  }
}
