package dev.snapserve.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.spec.Target.Architecture;
import dev.snapserve.spec.Traffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prices a synthesized CloudFormation template ({@code cdk.out/STACK.template.json}) under an
 * Infracost-style usage file keyed by logical id:
 *
 * <pre>
 * fnFunction4F996A82: {requestsPerMonth: 4500000, durationMs: 12}
 * ApiCD79AAA0: {requestsPerMonth: 5000000, requestBytes: 600, responseBytes: 300}
 * gpuConfigACFD9444: {requestsPerMonth: 500000, requestBytes: 600, responseBytes: 300}
 * fnLogs4D96AD1B: {ingestionGb: 2}
 * </pre>
 *
 * Priced: Lambda functions (memory, architecture, ephemeral storage, SnapStart, provisioned
 * concurrency of their aliases/versions), HTTP vs REST APIs (plus their responses as data out),
 * SageMaker endpoint configs (instance variants with their autoscaling, serverless variants) and
 * log groups. Traffic is uniform over the month.
 */
public final class TemplateEstimator {
  /** The fields a usage entry may have. */
  public static final Set<String> USAGE_FIELDS =
      Set.of(
          "requestsPerMonth",
          "durationMs",
          "requestBytes",
          "responseBytes",
          "ingestionGb",
          "snapStartRestores");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final double BYTES_PER_GIB = 1L << 30;

  private TemplateEstimator() {}

  /** Reads a template file; anything but a CloudFormation JSON document is an error. */
  public static JsonNode readTemplate(Path file) {
    JsonNode t;
    try {
      t = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new EstimateException(
          file + " is not a CloudFormation JSON template: " + firstLine(e.getMessage()));
    }
    if (t == null || !t.path("Resources").isObject()) {
      throw new EstimateException(
          file + " is not a CloudFormation template: it has no \"Resources\" object");
    }
    return t;
  }

  /** Reads a usage file (YAML or JSON): logical id to {field: number}. */
  public static Map<String, Map<String, Double>> readUsage(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new EstimateException(
          "cannot read usage file " + file + ": " + firstLine(e.getMessage()));
    }
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (root == null || root.isNull()) return out;
    if (!root.isObject()) {
      throw new EstimateException(file + ": a usage file maps logical ids to usage fields");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Map<String, Double> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext(); ) {
        Map.Entry<String, JsonNode> field = f.next();
        String where = file + ": " + e.getKey() + "." + field.getKey();
        if (!USAGE_FIELDS.contains(field.getKey())) {
          throw new EstimateException(
              where
                  + " is not a usage field; use "
                  + String.join(", ", new java.util.TreeSet<>(USAGE_FIELDS)));
        }
        if (!field.getValue().isNumber() || field.getValue().asDouble() < 0) {
          throw new EstimateException(
              where + ": must be a non-negative number, got " + field.getValue());
        }
        fields.put(field.getKey(), field.getValue().asDouble());
      }
      out.put(e.getKey(), fields);
    }
    return out;
  }

  /** The monthly estimate of {@code template} in {@code region} under {@code usage}. */
  public static Estimate estimate(
      JsonNode template, Map<String, Map<String, Double>> usage, String region) {
    Estimator est = new Estimator(PriceCatalog.load(region));
    JsonNode resources = template.path("Resources");
    for (String id : usage.keySet()) {
      if (!resources.has(id)) {
        est.assume("WARNING usage for '" + id + "' names no resource in the template; ignored");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      String id = r.getKey();
      JsonNode props = r.getValue().path("Properties");
      Map<String, Double> u = usage.getOrDefault(id, Map.of());
      switch (r.getValue().path("Type").asText()) {
        case "AWS::Lambda::Function" -> lambda(est, resources, id, props, u);
        case "AWS::ApiGatewayV2::Api" -> {
          if (props.path("ProtocolType").asText("HTTP").equals("HTTP"))
            api(est, ApiType.HTTP, id, u);
          else est.assume(id + ": WebSocket APIs are not priced");
        }
        case "AWS::ApiGateway::RestApi" -> api(est, ApiType.REST, id, u);
        case "AWS::SageMaker::EndpointConfig" -> endpointConfig(est, resources, id, props, u);
        case "AWS::Logs::LogGroup" -> {
          if (u.getOrDefault("ingestionGb", 0.0) > 0) est.logs(u.get("ingestionGb"));
        }
        default -> {}
      }
    }
    return est.estimate();
  }

  private static void lambda(
      Estimator est, JsonNode resources, String id, JsonNode props, Map<String, Double> u) {
    int memory = props.path("MemorySize").asInt(128);
    Architecture arch =
        props.path("Architectures").path(0).asText("x86_64").equals("arm64")
            ? Architecture.ARM64
            : Architecture.X86_64;
    int ephemeral = props.path("EphemeralStorage").path("Size").asInt(512);
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    double duration = u.getOrDefault("durationMs", 0.0);
    if (!u.containsKey("requestsPerMonth")) est.assume(id + ": no usage, priced at zero requests");
    int provisioned = 0;
    for (JsonNode res : resources) {
      String type = res.path("Type").asText();
      JsonNode p = res.path("Properties");
      if ((type.equals("AWS::Lambda::Alias") || type.equals("AWS::Lambda::Version"))
          && p.path("FunctionName").toString().contains("\"" + id + "\"")) {
        provisioned +=
            p.path("ProvisionedConcurrencyConfig").path("ProvisionedConcurrentExecutions").asInt(0);
      }
    }
    LambdaUsage usage =
        LambdaUsage.onDemand(memory, arch, requests, duration).withEphemeralMiB(ephemeral);
    if (provisioned > 0) {
      usage =
          LambdaUsage.onDemand(memory, arch, 0, 0)
              .withEphemeralMiB(ephemeral)
              .withProvisioned(provisioned, Traffic.HOURS_PER_MONTH, requests, duration);
      est.assume(id + ": provisioned concurrency all month, serving all of its requests");
    }
    if (props.path("SnapStart").path("ApplyOn").asText().equals("PublishedVersions")) {
      usage =
          usage.withSnapStart(
              props.path("Runtime").asText("java21"),
              u.getOrDefault("snapStartRestores", 0.0),
              Traffic.HOURS_PER_MONTH);
    }
    est.lambda(usage);
  }

  private static void api(Estimator est, ApiType type, String id, Map<String, Double> u) {
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    est.api(type, requests, u.getOrDefault("requestBytes", 0.0) / 1024);
    est.dataTransferOut(requests * u.getOrDefault("responseBytes", 0.0) / BYTES_PER_GIB, false);
  }

  /** Each variant scales on its own scalable target (min..max, target invocations/minute). */
  private static void endpointConfig(
      Estimator est, JsonNode resources, String id, JsonNode props, Map<String, Double> u) {
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    List<JsonNode> variants = new ArrayList<>();
    props.path("ProductionVariants").forEach(variants::add);
    double weights =
        variants.stream().mapToDouble(v -> v.path("InitialVariantWeight").asDouble(1)).sum();
    List<String> endpoints = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("Type").asText().equals("AWS::SageMaker::Endpoint")
                  && e.getValue()
                      .path("Properties")
                      .path("EndpointConfigName")
                      .toString()
                      .contains("\"" + id + "\"")) {
                endpoints.add(e.getKey());
              }
            });
    for (JsonNode v : variants) {
      double share = v.path("InitialVariantWeight").asDouble(1) / weights;
      double variantRequests = requests * share;
      if (v.has("ServerlessConfig")) {
        est.sagemakerServerless(
            v.path("ServerlessConfig").path("MemorySizeInMB").asInt(),
            variantRequests,
            u.getOrDefault("durationMs", 0.0));
        continue;
      }
      String name = v.path("VariantName").asText();
      int min = v.path("InitialInstanceCount").asInt(1);
      int max = min;
      double target = Double.POSITIVE_INFINITY;
      for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> st = it.next();
        JsonNode p = st.getValue().path("Properties");
        String resourceId = p.path("ResourceId").toString();
        if (st.getValue()
                .path("Type")
                .asText()
                .equals("AWS::ApplicationAutoScaling::ScalableTarget")
            && resourceId.contains("/variant/" + name + "\"")
            && endpoints.stream().anyMatch(ep -> resourceId.contains("\"" + ep + "\""))) {
          min = p.path("MinCapacity").asInt(min);
          max = p.path("MaxCapacity").asInt(max);
          target = targetValue(resources, st.getKey());
        }
      }
      double instances =
          SpecEstimator.averageInstances(
              java.util.Collections.nCopies(24, variantRequests / Traffic.HOURS_PER_MONTH),
              min,
              max,
              target);
      est.sagemaker(v.path("InstanceType").asText(), instances, Traffic.HOURS_PER_MONTH, name);
      est.assume(
          id
              + " variant "
              + name
              + ": "
              + instances
              + " instances on average (autoscaling "
              + min
              + "-"
              + max
              + ")");
    }
    est.sagemakerData(
        requests * u.getOrDefault("requestBytes", 0.0) / BYTES_PER_GIB,
        requests * u.getOrDefault("responseBytes", 0.0) / BYTES_PER_GIB);
  }

  private static double targetValue(JsonNode resources, String scalableTargetId) {
    for (JsonNode res : resources) {
      JsonNode p = res.path("Properties");
      if (res.path("Type").asText().equals("AWS::ApplicationAutoScaling::ScalingPolicy")
          && p.path("ScalingTargetId").toString().contains("\"" + scalableTargetId + "\"")) {
        return p.path("TargetTrackingScalingPolicyConfiguration").path("TargetValue").asDouble();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * A usage file stub ({@code --sync-usage}): every priced resource of {@code template} with the
   * fields it reads, at zero, and its type as a comment.
   */
  public static String usageStub(JsonNode template) {
    StringBuilder sb =
        new StringBuilder("# usage for snapserve estimate --template, keyed by logical id\n");
    template
        .path("Resources")
        .fields()
        .forEachRemaining(
            r -> {
              String type = r.getValue().path("Type").asText();
              String fields =
                  switch (type) {
                    case "AWS::Lambda::Function" ->
                        "requestsPerMonth: 0, durationMs: 0, snapStartRestores: 0";
                    case "AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi" ->
                        "requestsPerMonth: 0, requestBytes: 0, responseBytes: 0";
                    case "AWS::SageMaker::EndpointConfig" ->
                        "requestsPerMonth: 0, durationMs: 0, requestBytes: 0, responseBytes: 0";
                    case "AWS::Logs::LogGroup" -> "ingestionGb: 0";
                    default -> null;
                  };
              if (fields != null) {
                sb.append(r.getKey())
                    .append(": {")
                    .append(fields)
                    .append("}  # ")
                    .append(type)
                    .append('\n');
              }
            });
    return sb.toString();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
