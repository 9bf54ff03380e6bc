package dev.snapserve.cdk;

import dev.snapserve.cdk.internal.SageMakerMetrics;
import dev.snapserve.cdk.internal.SageMakerModels;
import dev.snapserve.spec.Target;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sagemaker.CfnEndpoint;
import software.amazon.awscdk.services.sagemaker.CfnEndpointConfig;
import software.amazon.awscdk.services.sagemaker.CfnModel;
import software.constructs.Construct;

/**
 * A SageMaker serverless endpoint running the endpoint-server image for one model version: pay per
 * request, scale to zero, CPU only.
 */
public final class ServerlessEndpoint extends Construct {
  /** The single variant of a serverless endpoint. */
  public static final String VARIANT = "AllTraffic";

  private final CfnEndpoint endpoint;
  private final Role role;

  public ServerlessEndpoint(Construct scope, String id, ServerlessEndpointProps props) {
    super(scope, id);
    int mem = props.memorySizeMiB();
    if (!Target.SERVERLESS_MEMORY_MIB.contains(mem)) {
      throw new IllegalArgumentException(
          "memorySizeMiB must be one of "
              + Target.SERVERLESS_MEMORY_MIB.stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(", "))
              + ", got "
              + mem);
    }
    if (props.maxConcurrency() < 1 || props.maxConcurrency() > 200) {
      throw new IllegalArgumentException(
          "maxConcurrency must be 1-200, got " + props.maxConcurrency());
    }
    Integer provisioned = props.provisionedConcurrency();
    if (provisioned != null && (provisioned < 1 || provisioned > props.maxConcurrency())) {
      throw new IllegalArgumentException(
          "provisionedConcurrency must be 1-maxConcurrency ("
              + props.maxConcurrency()
              + "), got "
              + provisioned);
    }
    String image =
        SageMakerModels.imageUri(props.imageRepository(), props.imageTag(), props.imageDigest());
    role = SageMakerModels.executionRole(this, props.imageRepository());
    CfnModel model =
        SageMakerModels.model(
            this,
            "Model",
            role,
            image,
            props.model(),
            props.version(),
            props.modelDataBucket(),
            props.modelDataKey(),
            props.environment(),
            props.networkIsolation());
    CfnEndpointConfig.ServerlessConfigProperty.Builder serverless =
        CfnEndpointConfig.ServerlessConfigProperty.builder()
            .memorySizeInMb(mem)
            .maxConcurrency(props.maxConcurrency());
    if (provisioned != null) serverless.provisionedConcurrency(provisioned);
    CfnEndpointConfig config =
        CfnEndpointConfig.Builder.create(this, "Config")
            .productionVariants(
                List.of(
                    CfnEndpointConfig.ProductionVariantProperty.builder()
                        .variantName(VARIANT)
                        .modelName(model.getAttrModelName())
                        .serverlessConfig(serverless.build())
                        .build()))
            .build();
    endpoint =
        CfnEndpoint.Builder.create(this, "Endpoint")
            .endpointConfigName(config.getAttrEndpointConfigName())
            .build();
  }

  /** An endpoint metric ({@code AWS/SageMaker}, 1-minute periods). */
  public Metric metric(String name, String statistic) {
    return SageMakerMetrics.variant(
        SageMakerMetrics.ENDPOINT_NAMESPACE, name, endpointName(), VARIANT, statistic);
  }

  public CfnEndpoint endpoint() {
    return endpoint;
  }

  public String endpointName() {
    return endpoint.getAttrEndpointName();
  }

  public Role role() {
    return role;
  }
}
