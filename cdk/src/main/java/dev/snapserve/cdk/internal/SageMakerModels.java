package dev.snapserve.cdk.internal;

import dev.snapserve.packager.EndpointImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sagemaker.CfnModel;
import software.constructs.Construct;

/** What GpuEndpoint and ServerlessEndpoint share: the execution role and the model resources. */
public final class SageMakerModels {
  private SageMakerModels() {}

  /** A role SageMaker assumes: pull the one image, write the endpoint's logs and metrics. */
  public static Role executionRole(Construct scope, IRepository repository) {
    Role role =
        Role.Builder.create(scope, "ExecutionRole")
            .assumedBy(new ServicePrincipal("sagemaker.amazonaws.com"))
            .description("snapserve endpoint " + scope.getNode().getPath())
            .build();
    repository.grantPull(role);
    Stack stack = Stack.of(scope);
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams"))
            .resources(
                List.of(
                    "arn:"
                        + stack.getPartition()
                        + ":logs:"
                        + stack.getRegion()
                        + ":"
                        + stack.getAccount()
                        + ":log-group:/aws/sagemaker/Endpoints/*"))
            .build());
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("cloudwatch:PutMetricData"))
            .resources(List.of("*"))
            .conditions(
                Map.of("StringEquals", Map.of("cloudwatch:namespace", "/aws/sagemaker/Endpoints")))
            .build());
    Nag.suppress(
        role,
        "AwsSolutions-IAM5",
        "ecr:GetAuthorizationToken has no resource-level permissions; cloudwatch:PutMetricData"
            + " has none either and is limited to SageMaker's namespace by a condition",
        "Resource::*");
    Nag.suppress(
        role,
        "AwsSolutions-IAM5",
        "SageMaker names the log group after the endpoint, whose name CloudFormation generates;"
            + " the grant stays within /aws/sagemaker/Endpoints/",
        Nag.regex(
            "^Resource::arn:<AWS::Partition>:logs:.*:log-group:/aws/sagemaker/Endpoints/\\*$"));
    return role;
  }

  /**
   * A model that serves {@code model@version} as {@code /v1/predict} (SageMaker's {@code
   * /invocations}); the bundle comes from the image or from {@code modelDataKey}.
   */
  public static CfnModel model(
      Construct scope,
      String id,
      Role role,
      String imageUri,
      String model,
      String version,
      IBucket modelDataBucket,
      String modelDataKey,
      Map<String, String> environment,
      boolean networkIsolation) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put("SNAPSERVE_HOST", "0.0.0.0");
    env.put("SNAPSERVE_ROUTES", "v1=" + model + "@" + version);
    CfnModel.ContainerDefinitionProperty.Builder container =
        CfnModel.ContainerDefinitionProperty.builder().image(imageUri);
    if (modelDataKey != null) {
      if (modelDataBucket == null) {
        throw new IllegalArgumentException(
            "modelDataKey "
                + modelDataKey
                + " of "
                + model
                + "@"
                + version
                + " needs modelDataBucket");
      }
      modelDataBucket.grantRead(role, modelDataKey);
      container.modelDataUrl(modelDataBucket.s3UrlForObject(modelDataKey));
      // SageMaker extracts ModelDataUrl into its model directory; the server loads it from there
      env.put("SNAPSERVE_BUNDLES", EndpointImage.MODEL_DIR);
    }
    container.environment(env);
    CfnModel m =
        CfnModel.Builder.create(scope, id)
            .executionRoleArn(role.getRoleArn())
            .primaryContainer(container.build())
            .enableNetworkIsolation(networkIsolation)
            .build();
    // the role's policies must exist before SageMaker validates the image pull
    m.getNode().addDependency(role);
    return m;
  }

  /** {@code repository:tag} or {@code repository@digest}. */
  public static String imageUri(IRepository repository, String tag, String digest) {
    if ((tag == null) == (digest == null)) {
      throw new IllegalArgumentException("give exactly one of imageTag and imageDigest");
    }
    return digest != null
        ? repository.repositoryUriForDigest(digest)
        : repository.repositoryUriForTag(tag);
  }
}
