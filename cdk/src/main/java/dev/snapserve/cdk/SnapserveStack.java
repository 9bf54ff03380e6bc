package dev.snapserve.cdk;

import dev.snapserve.spec.Api;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Route;
import dev.snapserve.spec.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.constructs.Construct;

/**
 * The stack a deployment spec describes: an {@link InferenceFunction} per Lambda target, a {@link
 * PredictApi} over their routes, a {@link GpuEndpoint} per GPU target, a {@link ServerlessEndpoint}
 * per route on a serverless target and a {@link ServiceDashboard}. Named after the service, in the
 * spec's region; no lookups, so synth needs no credentials.
 */
public final class SnapserveStack extends Stack {
  private final Map<String, InferenceFunction> functions = new LinkedHashMap<>();
  private final Map<String, GpuEndpoint> gpuEndpoints = new LinkedHashMap<>();
  private final Map<String, ServerlessEndpoint> serverlessEndpoints = new LinkedHashMap<>();
  private final PredictApi api;

  public SnapserveStack(Construct scope, DeploymentSpec spec, LambdaArtifacts artifacts) {
    super(
        scope,
        spec.service(),
        StackProps.builder()
            .env(Environment.builder().region(spec.region()).build())
            .description(
                "snapserve service " + spec.service() + " (from " + spec.file().getFileName() + ")")
            .build());
    spec.tags().forEach((k, v) -> Tags.of(this).add(k, v));
    Tags.of(this).add("snapserve:service", spec.service());

    Map<String, Alias> apiRoutes = new LinkedHashMap<>();
    for (Target target : spec.targets().values()) {
      List<Route> routes =
          spec.routes().stream().filter(r -> r.target().equals(target.name())).toList();
      if (routes.isEmpty()) continue;
      switch (target) {
        case Target.Lambda fn -> {
          InferenceFunction f = function(spec, fn, routes, artifacts);
          functions.put(fn.name(), f);
          apiRoutes.putAll(f.aliases());
        }
        case Target.GpuEndpoint gpu -> gpuEndpoints.put(gpu.name(), gpuEndpoint(gpu));
        case Target.ServerlessEndpoint sls -> {
          for (Route r : routes) {
            serverlessEndpoints.put(sls.name() + "-" + r.apiVersion(), serverlessEndpoint(sls, r));
          }
        }
      }
    }

    api = apiRoutes.isEmpty() ? null : predictApi(spec, apiRoutes);
    if (api != null) {
      for (InferenceFunction f : functions.values()) {
        // an alias also rolls back when its route answers 5xx (handled errors are not Lambda
        // errors)
        f.aliases().keySet().forEach(v -> f.deploymentGroup(v).addAlarm(api.serverErrorAlarm(v)));
      }
      CfnOutput.Builder.create(this, "ApiUrl").value(api.url()).description("predict API").build();
    }
    gpuEndpoints.forEach(
        (name, ep) ->
            CfnOutput.Builder.create(this, "Endpoint" + name)
                .value(ep.endpointName())
                .description("SageMaker endpoint of target " + name + " (InvokeEndpoint)")
                .build());
    serverlessEndpoints.forEach(
        (name, ep) ->
            CfnOutput.Builder.create(this, "Endpoint" + name)
                .value(ep.endpointName())
                .description("SageMaker serverless endpoint " + name + " (InvokeEndpoint)")
                .build());
    new ServiceDashboard(
        this,
        "Dashboard",
        ServiceDashboardProps.builder()
            .dashboardName(spec.service())
            .functions(List.copyOf(functions.values()))
            .gpuEndpoints(List.copyOf(gpuEndpoints.values()))
            .serverlessEndpoints(List.copyOf(serverlessEndpoints.values()))
            .build());
  }

  private InferenceFunction function(
      DeploymentSpec spec, Target.Lambda fn, List<Route> routes, LambdaArtifacts artifacts) {
    List<FunctionRoute> fnRoutes = new ArrayList<>();
    Set<ModelVersion> versions = new LinkedHashSet<>();
    for (Route r : routes) {
      List<WeightedModel> models = new ArrayList<>();
      r.weights()
          .forEach(
              (ref, percent) -> {
                models.add(new WeightedModel(ref.model(), ref.version(), percent));
                versions.add(spec.version(ref));
              });
      fnRoutes.add(new FunctionRoute(r.apiVersion(), models));
    }
    return new InferenceFunction(
        this,
        fn.name(),
        InferenceFunctionProps.builder()
            .codeZip(artifacts.zip(spec, fn, List.copyOf(versions)))
            .routes(fnRoutes)
            .architecture(
                fn.architecture() == Target.Architecture.ARM64
                    ? Architecture.ARM_64
                    : Architecture.X86_64)
            .memorySizeMiB(fn.memoryMiB())
            .timeoutSeconds(fn.timeoutSeconds())
            .ephemeralStorageMiB(fn.ephemeralStorageMiB())
            .snapStart(fn.snapStart())
            .reservedConcurrentExecutions(fn.reservedConcurrency().orElse(null))
            .provisionedConcurrentExecutions(
                fn.provisionedConcurrency() > 0 ? fn.provisionedConcurrency() : null)
            .build());
  }

  private GpuEndpoint gpuEndpoint(Target.GpuEndpoint gpu) {
    return new GpuEndpoint(
        this,
        gpu.name(),
        GpuEndpointProps.builder()
            .imageRepository(repository(gpu.name(), gpu.image()))
            .imageTag(gpu.image().tag().orElse(null))
            .imageDigest(gpu.image().digest().orElse(null))
            .instanceType(gpu.instanceType())
            .variants(
                gpu.variants().stream()
                    .map(
                        v ->
                            EndpointVariant.of(
                                v.name(),
                                v.model().model(),
                                v.model().version(),
                                v.weightPercent()))
                    .toList())
            .minInstances(gpu.minInstances())
            .maxInstances(gpu.maxInstances())
            .targetInvocationsPerInstance(gpu.targetInvocationsPerInstance())
            // SageMaker samples whole percents; a configured fraction still captures something
            .dataCapturePercent(
                gpu.dataCapturePercent() > 0
                    ? (int) Math.max(1, Math.round(gpu.dataCapturePercent()))
                    : 0)
            .build());
  }

  private ServerlessEndpoint serverlessEndpoint(Target.ServerlessEndpoint sls, Route r) {
    var model = r.model().orElseThrow();
    return new ServerlessEndpoint(
        this,
        sls.name() + r.apiVersion(),
        ServerlessEndpointProps.builder()
            .imageRepository(repository(sls.name(), sls.image()))
            .imageTag(sls.image().tag().orElse(null))
            .imageDigest(sls.image().digest().orElse(null))
            .model(model.model())
            .version(model.version())
            .memorySizeMiB(sls.memoryMiB())
            .maxConcurrency(sls.maxConcurrency())
            .provisionedConcurrency(
                sls.provisionedConcurrency() > 0 ? sls.provisionedConcurrency() : null)
            .build());
  }

  /** Imports the spec's ECR repository by ARN: no lookup, no credentials. */
  private IRepository repository(String target, Target.ImageRef image) {
    String id = "Repo" + target;
    IRepository existing = (IRepository) getNode().tryFindChild(id);
    if (existing != null) return existing;
    return Repository.fromRepositoryAttributes(
        this,
        id,
        RepositoryAttributes.builder()
            .repositoryName(image.name())
            .repositoryArn(
                "arn:"
                    + getPartition()
                    + ":ecr:"
                    + image.region()
                    + ":"
                    + image.account()
                    + ":repository/"
                    + image.name())
            .build());
  }

  private PredictApi predictApi(DeploymentSpec spec, Map<String, Alias> routes) {
    Api a = spec.api();
    PredictApiProps.Builder b =
        PredictApiProps.builder()
            .routes(routes)
            .apiName(spec.service())
            .auth(PredictApiAuth.valueOf(a.auth().type().name()))
            .jwtIssuer(a.auth().issuer().orElse(null))
            .jwtAudience(a.auth().audience());
    a.throttling()
        .ifPresent(t -> b.throttlingRateLimit(t.rateLimit()).throttlingBurstLimit(t.burstLimit()));
    a.cors()
        .ifPresent(
            c ->
                b.corsAllowOrigins(c.allowOrigins())
                    .corsAllowMethods(c.allowMethods())
                    .corsAllowHeaders(c.allowHeaders()));
    return new PredictApi(this, "Api", b.build());
  }

  /** Lambda target name to its function. */
  public Map<String, InferenceFunction> functions() {
    return functions;
  }

  public Map<String, GpuEndpoint> gpuEndpoints() {
    return gpuEndpoints;
  }

  /** {@code <target>-<apiVersion>} to its endpoint. */
  public Map<String, ServerlessEndpoint> serverlessEndpoints() {
    return serverlessEndpoints;
  }

  /** The HTTP API, or null when no route runs on Lambda. */
  public PredictApi api() {
    return api;
  }
}
