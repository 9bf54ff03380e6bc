package dev.snapserve.cdk;

import dev.snapserve.cdk.internal.Nag;
import dev.snapserve.functions.internal.RoutesSyntax;
import dev.snapserve.packager.internal.LambdaZip;
import dev.snapserve.spec.Target;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * A SnapStart Lambda function that serves model versions behind versioned routes, with one alias
 * per route and a CodeDeploy deployment group per alias that rolls back on alarms.
 *
 * <p>Every deployment publishes one new {@code Version} ({@code currentVersion}) holding all model
 * versions the routes need; each alias ({@code v1}, {@code v2}, ...) is shifted to it by CodeDeploy
 * (canary or linear), and canaries between model versions are weighted in-process through {@code
 * SNAPSERVE_ROUTES} (see cdk/README.md for why).
 */
public final class InferenceFunction extends Construct {
  /** The handler class in the aws-lambda adapter: the packager's, which its zips are built for. */
  public static final String HANDLER = LambdaZip.HANDLER;

  /** Where the zip's bundles live on Lambda: {@code $LAMBDA_TASK_ROOT/models/<model>/<version>}. */
  public static final String BUNDLE_ROOT = "/var/task/models";

  /** Lambda's limit on {@code /tmp} with SnapStart. */
  public static final int SNAP_START_MAX_EPHEMERAL_MIB = 512;

  private final Function function;
  private final LogGroup logGroup;
  private final Role role;
  private final Map<String, Alias> aliases = new LinkedHashMap<>();
  private final Map<String, LambdaDeploymentGroup> deploymentGroups = new LinkedHashMap<>();
  private final Map<String, List<Alarm>> alarms = new LinkedHashMap<>();

  public InferenceFunction(Construct scope, String id, InferenceFunctionProps props) {
    super(scope, id);
    validate(props);

    logGroup =
        LogGroup.Builder.create(this, "Logs")
            .retention(props.logRetention())
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    // Own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("snapserve inference function " + id + ": own logs and bundles only")
            .build();
    logGroup.grantWrite(role);

    Map<String, String> env = new LinkedHashMap<>(props.environment());
    env.put("SNAPSERVE_ROUTES", routes(props.routes()));
    if (props.bundleBucket() != null) {
      // the adapter's S3 source: one published bundle, downloaded and verified at init
      String prefix = bundlePrefix(props);
      grantBundlePrefix(props, prefix);
      env.put(
          "SNAPSERVE_BUNDLE_URI", "s3://" + props.bundleBucket().getBucketName() + "/" + prefix);
    } else {
      env.put("SNAPSERVE_BUNDLES", bundles(props.routes()));
    }

    Function.Builder fn =
        Function.Builder.create(this, "Function")
            .runtime(Runtime.JAVA_21)
            .handler(HANDLER)
            .code(Code.fromAsset(props.codeZip().toAbsolutePath().toString()))
            .architecture(props.architecture())
            .memorySize(props.memorySizeMiB())
            .timeout(Duration.seconds(props.timeoutSeconds()))
            .ephemeralStorageSize(Size.mebibytes(props.ephemeralStorageMiB()))
            .environment(env)
            .role(role)
            .logGroup(logGroup)
            // CodeDeploy rolls back to the previous version: it must outlive the next deployment.
            .currentVersionOptions(
                VersionOptions.builder().removalPolicy(RemovalPolicy.RETAIN).build())
            .description(description(props.routes()));
    if (props.snapStart()) fn.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
    if (props.reservedConcurrentExecutions() != null) {
      fn.reservedConcurrentExecutions(props.reservedConcurrentExecutions());
    }
    function = fn.build();
    if (props.snapStart()) {
      // every alias points at currentVersion, a published version: the warning does not apply
      Annotations.of(function)
          .acknowledgeWarning(
              "@aws-cdk/aws-lambda:snapStartRequirePublish",
              "aliases point at currentVersion, which is published");
    }
    Nag.suppress(
        function,
        "AwsSolutions-L1",
        "java21 is the runtime the adapter is built and primed for (release 21, SnapStart);"
            + " moving to a newer Java runtime is a deliberate upgrade, not a default");

    LambdaApplication application = LambdaApplication.Builder.create(this, "Application").build();
    for (FunctionRoute route : props.routes()) {
      String v = route.apiVersion();
      Alias.Builder a =
          Alias.Builder.create(this, "Alias" + v)
              .aliasName(v)
              .version(function.getCurrentVersion())
              .description("/" + v + "/predict");
      if (props.provisionedConcurrentExecutions() != null) {
        a.provisionedConcurrentExecutions(props.provisionedConcurrentExecutions());
      }
      Alias alias = a.build();
      aliases.put(v, alias);
      List<Alarm> routeAlarms = new ArrayList<>();
      routeAlarms.add(errorRateAlarm(alias, v, props.errorRateAlarmPercent()));
      routeAlarms.add(latencyAlarm(alias, v, props.p99LatencyAlarmMs()));
      alarms.put(v, routeAlarms);
      deploymentGroups.put(
          v,
          LambdaDeploymentGroup.Builder.create(this, "Deployment" + v)
              .application(application)
              .alias(alias)
              .deploymentConfig(props.deploymentConfig())
              .alarms(routeAlarms)
              .autoRollback(
                  AutoRollbackConfig.builder()
                      .deploymentInAlarm(true)
                      .failedDeployment(true)
                      .stoppedDeployment(true)
                      .build())
              .build());
    }
    deploymentGroups
        .values()
        .forEach(
            g ->
                Nag.suppress(
                    g,
                    "AwsSolutions-IAM4",
                    "CodeDeploy's own AWSCodeDeployRoleForLambdaLimited: AWS keeps it to exactly"
                        + " the alias update, alarm read and hook invoke calls a Lambda deployment"
                        + " makes",
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        + "AWSCodeDeployRoleForLambdaLimited"));
  }

  private static void validate(InferenceFunctionProps p) {
    if (!p.codeZip().getFileName().toString().endsWith(".zip")
        || !Files.isRegularFile(p.codeZip())) {
      throw new IllegalArgumentException(
          "codeZip must be an existing .zip file (SnapStart supports zip packages only), got "
              + p.codeZip());
    }
    if (p.routes().isEmpty()) throw new IllegalArgumentException("routes must not be empty");
    Set<String> seen = new LinkedHashSet<>();
    for (FunctionRoute r : p.routes()) {
      if (!seen.add(r.apiVersion())) {
        throw new IllegalArgumentException("routes: duplicate apiVersion " + r.apiVersion());
      }
    }
    range("memorySizeMiB", p.memorySizeMiB(), Target.MIN_MEMORY_MIB, Target.MAX_MEMORY_MIB);
    range("timeoutSeconds", p.timeoutSeconds(), 1, 900);
    range(
        "ephemeralStorageMiB",
        p.ephemeralStorageMiB(),
        Target.MIN_EPHEMERAL_MIB,
        p.snapStart() ? SNAP_START_MAX_EPHEMERAL_MIB : Target.MAX_EPHEMERAL_MIB);
    if (p.snapStart() && p.provisionedConcurrentExecutions() != null) {
      throw new IllegalArgumentException(
          "provisionedConcurrentExecutions: Lambda does not allow provisioned concurrency with"
              + " SnapStart; turn snapStart off or drop provisioned concurrency");
    }
    if (p.reservedConcurrentExecutions() != null && p.reservedConcurrentExecutions() < 0) {
      throw new IllegalArgumentException(
          "reservedConcurrentExecutions must be >= 0, got " + p.reservedConcurrentExecutions());
    }
  }

  private static void range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + "-" + max + ", got " + value);
    }
  }

  /** Every model version any route needs, each once, in route order. */
  private static String bundles(List<FunctionRoute> routes) {
    Set<String> dirs = new LinkedHashSet<>();
    for (FunctionRoute r : routes) {
      for (WeightedModel m : r.models())
        dirs.add(BUNDLE_ROOT + "/" + m.model() + "/" + m.version());
    }
    return String.join(",", dirs);
  }

  /**
   * {@code v2=digits@2:9000,digits@3:1000}: percent with two decimals, as the router wants ints.
   */
  static String routes(List<FunctionRoute> routes) {
    return RoutesSyntax.join(
        routes.stream()
            .map(
                r ->
                    RoutesSyntax.entry(
                        r.apiVersion(),
                        r.models().stream()
                            .map(m -> Map.entry(m.ref(), m.weightPercent()))
                            .toList()))
            .toList());
  }

  /** Lambda allows 256 characters of description. */
  private static String description(List<FunctionRoute> routes) {
    String d = "snapserve " + String.join(", ", routeSummary(routes));
    return d.length() <= 256 ? d : d.substring(0, 253) + "...";
  }

  private static List<String> routeSummary(List<FunctionRoute> routes) {
    return routes.stream()
        .map(
            r ->
                "/"
                    + r.apiVersion()
                    + " -> "
                    + r.models().stream().map(WeightedModel::ref).collect(Collectors.joining("+")))
        .toList();
  }

  /** {@code <bundlePrefix>/<model>/<version>/}: where {@code snapserve publish} puts a version. */
  private static String bundlePrefix(InferenceFunctionProps p) {
    List<WeightedModel> models =
        p.routes().stream().flatMap(r -> r.models().stream()).distinct().toList();
    Set<String> refs = new LinkedHashSet<>();
    models.forEach(m -> refs.add(m.ref()));
    if (refs.size() != 1) {
      throw new IllegalArgumentException(
          "bundleBucket: the S3 bundle source loads one model version, but the routes use "
              + refs
              + "; ship several versions in the zip instead");
    }
    WeightedModel m = models.get(0);
    String base = p.bundlePrefix() == null ? "" : p.bundlePrefix();
    if (!base.isEmpty() && !base.endsWith("/")) base += "/";
    return base + m.model() + "/" + m.version() + "/";
  }

  private void grantBundlePrefix(InferenceFunctionProps props, String prefix) {
    var bucket = props.bundleBucket();
    // GetObject below the bundle's prefix only: the source fetches manifest and model by key
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:GetObject"))
            .resources(List.of(bucket.arnForObjects(prefix + "*")))
            .build());
    if (bucket.getEncryptionKey() != null) bucket.getEncryptionKey().grantDecrypt(role);
  }

  private Alarm errorRateAlarm(Alias alias, String v, double thresholdPercent) {
    MetricOptions perMinute =
        MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build();
    Map<String, IMetric> metrics = new LinkedHashMap<>();
    metrics.put("e", alias.metricErrors(perMinute));
    metrics.put("i", alias.metricInvocations(perMinute));
    MathExpression rate =
        MathExpression.Builder.create()
            .expression("IF(i > 0, 100 * e / i, 0)")
            .usingMetrics(metrics)
            .period(Duration.minutes(1))
            .label("/" + v + " error rate %")
            .build();
    return Alarm.Builder.create(this, "ErrorRate" + v)
        .metric(rate)
        .threshold(thresholdPercent)
        .evaluationPeriods(1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .alarmDescription("/" + v + ": Lambda errors above " + thresholdPercent + "% (rolls back)")
        .build();
  }

  private Alarm latencyAlarm(Alias alias, String v, int thresholdMs) {
    return Alarm.Builder.create(this, "LatencyP99" + v)
        .metric(
            alias.metricDuration(
                MetricOptions.builder().period(Duration.minutes(1)).statistic("p99").build()))
        .threshold(thresholdMs)
        .evaluationPeriods(2)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .alarmDescription("/" + v + ": p99 duration above " + thresholdMs + " ms (rolls back)")
        .build();
  }

  public Function function() {
    return function;
  }

  public LogGroup logGroup() {
    return logGroup;
  }

  public Role role() {
    return role;
  }

  /** API version ({@code v1}) to its alias, in route order. */
  public Map<String, Alias> aliases() {
    return Collections.unmodifiableMap(aliases);
  }

  /** The CodeDeploy group that shifts the alias of {@code apiVersion}; add more alarms to it. */
  public LambdaDeploymentGroup deploymentGroup(String apiVersion) {
    LambdaDeploymentGroup g = deploymentGroups.get(apiVersion);
    if (g == null)
      throw new IllegalArgumentException("no route " + apiVersion + " on " + getNode().getPath());
    return g;
  }

  /** The rollback alarms of {@code apiVersion}'s alias (error rate, p99 latency). */
  public List<Alarm> alarms(String apiVersion) {
    return List.copyOf(alarms.getOrDefault(apiVersion, List.of()));
  }
}
