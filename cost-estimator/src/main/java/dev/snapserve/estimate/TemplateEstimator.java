package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Mappers.JSON;
import static dev.snapserve.estimate.internal.Mappers.YAML;
import static dev.snapserve.estimate.internal.Mappers.firstLine;
import static dev.snapserve.estimate.internal.Mappers.readText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.estimate.Estimator.ApiType;
import dev.snapserve.spec.Target.Architecture;
import dev.snapserve.spec.Traffic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
 * log groups. Traffic is uniform over the month. A function with provisioned concurrency serves all
 * its requests there unless {@code spilloverRequestsPerMonth} says how many are billed on demand.
 * Resource types not priced are listed, with counts, in one assumption.
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
          "snapStartRestores",
          "spilloverRequestsPerMonth");

  private TemplateEstimator() {}

  /** Reads a template file; anything but a CloudFormation JSON document is an error. */
  public static JsonNode readTemplate(Path file) {
    String text = readText(file, "template");
    JsonNode t;
    try {
      t = JSON.readTree(text);
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
    String text = readText(file, "usage file");
    JsonNode root;
    try {
      root = YAML.readTree(text);
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
      if (!e.getValue().isObject()) {
        throw new EstimateException(
            file
                + ": "
                + e.getKey()
                + " must map usage fields to numbers (e.g. {requestsPerMonth: 1000}), got "
                + e.getValue());
      }
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
    JsonNode resources = resources(template);
    Props p = new Props(est, template.path("Parameters"));
    for (String id : usage.keySet()) {
      warnIfNotRead(est, resources, id);
    }
    List<String> forEach = forEachBlocks(template);
    if (!forEach.isEmpty()) {
      est.assume(
          "WARNING "
              + String.join(", ", forEach)
              + ": Fn::ForEach (AWS::LanguageExtensions) is not expanded; what it makes is not"
              + " priced");
    }
    resources
        .fields()
        .forEachRemaining(
            r -> {
              String type = r.getValue().path("Type").asText();
              JsonNode rp = r.getValue().path("Properties");
              if (isAliasOrVersion(type)
                  && rp.has("ProvisionedConcurrencyConfig")
                  && functionOf(resources, rp) == null) {
                est.assume(
                    "WARNING "
                        + r.getKey()
                        + ": its provisioned concurrency is not priced: its function ("
                        + rp.path("FunctionName")
                        + ") is not a Ref or Fn::GetAtt of a function in the template");
              }
            });
    Map<String, Integer> unpriced = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      String id = r.getKey();
      String type = r.getValue().path("Type").asText();
      JsonNode props = r.getValue().path("Properties");
      Map<String, Double> u = usage.getOrDefault(id, Map.of());
      switch (type) {
        case "AWS::Lambda::Function" -> lambda(p, resources, id, props, u);
        case "AWS::ApiGatewayV2::Api" -> {
          if (props.path("ProtocolType").asText("HTTP").equals("HTTP"))
            api(est, ApiType.HTTP, id, u);
          else est.assume(id + ": WebSocket APIs are not priced");
        }
        case "AWS::ApiGateway::RestApi" -> api(est, ApiType.REST, id, u);
        case "AWS::SageMaker::EndpointConfig" -> endpointConfig(p, resources, id, props, u);
        case "AWS::Logs::LogGroup" -> {
          if (u.getOrDefault("ingestionGb", 0.0) > 0) est.logs(u.get("ingestionGb"));
          else est.assume(id + ": no usage, priced at zero log ingestion");
        }
        default -> {
          if (!READ_TYPES.contains(type)) unpriced.merge(type, 1, Integer::sum);
        }
      }
    }
    if (!unpriced.isEmpty()) {
      est.assume(
          "not priced (outside this estimate): "
              + unpriced.entrySet().stream()
                  .sorted(
                      Map.Entry.<String, Integer>comparingByValue()
                          .reversed()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .map(e -> e.getValue() + " " + e.getKey())
                  .collect(Collectors.joining(", ")));
    }
    return est.estimate();
  }

  /**
   * Types priced through another resource: a function's aliases and versions (provisioned
   * concurrency), an endpoint config's endpoint, scalable targets and scaling policies.
   */
  private static final Set<String> READ_TYPES =
      Set.of(
          "AWS::Lambda::Alias",
          "AWS::Lambda::Version",
          "AWS::SageMaker::Endpoint",
          "AWS::ApplicationAutoScaling::ScalableTarget",
          "AWS::ApplicationAutoScaling::ScalingPolicy");

  /**
   * The types whose usage entry is read, and the fields {@code --sync-usage} writes for them (a
   * function with provisioned concurrency also gets {@code spilloverRequestsPerMonth}).
   */
  private static final Map<String, List<String>> FIELDS_BY_TYPE =
      Map.of(
          "AWS::Lambda::Function",
          List.of("requestsPerMonth", "durationMs", "snapStartRestores"),
          "AWS::ApiGatewayV2::Api",
          List.of("requestsPerMonth", "requestBytes", "responseBytes"),
          "AWS::ApiGateway::RestApi",
          List.of("requestsPerMonth", "requestBytes", "responseBytes"),
          "AWS::SageMaker::EndpointConfig",
          List.of("requestsPerMonth", "durationMs", "requestBytes", "responseBytes"),
          "AWS::Logs::LogGroup",
          List.of("ingestionGb"));

  /**
   * The template's resources; each must be an object with a string Type. {@code Fn::ForEach} blocks
   * of the language-extensions transform are left out (see {@link #forEachBlocks}).
   */
  private static JsonNode resources(JsonNode template) {
    JsonNode all = template.path("Resources");
    if (!all.isObject()) {
      throw new EstimateException("the template has no \"Resources\" object");
    }
    com.fasterxml.jackson.databind.node.ObjectNode resources = JSON.createObjectNode();
    all.fields()
        .forEachRemaining(
            r -> {
              if (!r.getKey().startsWith(FOR_EACH)) resources.set(r.getKey(), r.getValue());
            });
    resources
        .fields()
        .forEachRemaining(
            r -> {
              JsonNode res = r.getValue();
              if (!res.isObject()) {
                throw new EstimateException(
                    "resource '" + r.getKey() + "' is not an object, got " + res);
              }
              if (!res.path("Type").isTextual()) {
                throw new EstimateException("resource '" + r.getKey() + "' has no \"Type\" string");
              }
              if (res.has("Properties") && !res.get("Properties").isObject()) {
                throw new EstimateException(
                    "resource '"
                        + r.getKey()
                        + "': \"Properties\" is not an object, got "
                        + res.get("Properties"));
              }
            });
    return resources;
  }

  private static final String FOR_EACH = "Fn::ForEach::";

  /** The {@code Fn::ForEach::} keys of the template's resources: not expanded, so not priced. */
  private static List<String> forEachBlocks(JsonNode template) {
    List<String> keys = new java.util.ArrayList<>();
    template
        .path("Resources")
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.startsWith(FOR_EACH)) keys.add(k);
            });
    return keys;
  }

  /** Usage keyed to a resource whose usage is not read is a warning that says where it belongs. */
  private static void warnIfNotRead(Estimator est, JsonNode resources, String id) {
    if (!resources.has(id)) {
      est.assume("WARNING usage for '" + id + "' names no resource in the template; ignored");
      return;
    }
    String type = resources.path(id).path("Type").asText();
    if (FIELDS_BY_TYPE.containsKey(type)) return;
    String carrier = carrierOf(resources, type, resources.path(id).path("Properties"));
    String owner =
        switch (type) {
          case "AWS::Lambda::Alias", "AWS::Lambda::Version" -> "its function's entry";
          case "AWS::SageMaker::Endpoint" -> "its endpoint config's entry";
          default -> null;
        };
    if (owner != null && carrier != null) owner += " '" + carrier + "'";
    est.assume(
        "WARNING usage for '"
            + id
            + "' names an "
            + type
            + (owner == null
                ? ", whose usage is not priced"
                : "; " + owner + " carries the traffic")
            + "; ignored");
  }

  /** The logical id a {@code Ref}, {@code Fn::GetAtt} or {@code !GetAtt a.b} names, or null. */
  private static String referencedId(JsonNode v) {
    if (v.path("Ref").isTextual()) return v.get("Ref").asText();
    JsonNode att = v.path("Fn::GetAtt");
    if (att.isArray() && att.path(0).isTextual()) return att.get(0).asText();
    if (att.isTextual()) return att.asText().split("\\.", 2)[0];
    return null;
  }

  /**
   * The logical id of the resource whose usage entry carries the traffic of a resource of {@code
   * type} that has none: an alias's or version's function, an endpoint's config; or null.
   */
  private static String carrierOf(JsonNode resources, String type, JsonNode props) {
    return switch (type) {
      case "AWS::Lambda::Alias", "AWS::Lambda::Version" -> functionOf(resources, props);
      case "AWS::SageMaker::Endpoint" -> referencedId(props.path("EndpointConfigName"));
      default -> null;
    };
  }

  /** The logical id of the function an alias or version points at, or null. */
  private static String functionOf(JsonNode resources, JsonNode props) {
    String named = referencedId(props.path("FunctionName"));
    String type = named == null ? "" : resources.path(named).path("Type").asText();
    if (type.equals("AWS::Lambda::Function")) return named;
    String version =
        type.equals("AWS::Lambda::Version") ? named : referencedId(props.path("FunctionVersion"));
    if (version != null
        && resources.path(version).path("Type").asText().equals("AWS::Lambda::Version")) {
      String fn = referencedId(resources.path(version).path("Properties").path("FunctionName"));
      if (fn != null && resources.path(fn).path("Type").asText().equals("AWS::Lambda::Function"))
        return fn;
    }
    return null;
  }

  /**
   * Reads numeric properties: a number, or a numeric string (CloudFormation accepts both). An
   * intrinsic function is resolved when it is a {@code Ref} to a parameter with a numeric default;
   * otherwise the property is priced at its documented default, said in an assumption. Anything
   * else is an error that names the resource, the property and the value.
   */
  private record Props(Estimator est, JsonNode parameters) {
    /** {@code fallback} is the documented default; null when the property has none. */
    double number(String id, String property, JsonNode v, Double fallback) {
      if (v.isMissingNode() || v.isNull()) {
        if (fallback == null) {
          throw new EstimateException(id + ": " + property + " is missing");
        }
        return fallback;
      }
      if (v.isObject() && v.size() == 1) {
        String fn = v.fieldNames().next();
        if (fn.equals("Ref") || fn.startsWith("Fn::")) {
          JsonNode param = parameters.path(v.path("Ref").asText()).path("Default");
          if (fn.equals("Ref") && parse(param) != null && parse(param) >= 0) {
            est.assume(
                id + ": " + property + " is " + v + "; priced at its default " + param.asText());
            return parse(param);
          }
          if (fallback == null) {
            throw new EstimateException(
                id + ": " + property + " is " + v + ", which cannot be resolved; give a number");
          }
          est.assume(
              id
                  + ": "
                  + property
                  + " is "
                  + v
                  + ", not resolved; priced "
                  + (fallback.isInfinite() ? "as if absent" : "at the default " + fmt(fallback)));
          return fallback;
        }
      }
      Double n = parse(v);
      if (n == null || n < 0) {
        throw new EstimateException(
            id + ": " + property + " must be a non-negative number, got " + v);
      }
      return n;
    }

    int integer(String id, String property, JsonNode v, Integer fallback) {
      double n = number(id, property, v, fallback == null ? null : fallback.doubleValue());
      if (n != Math.rint(n) || n > Integer.MAX_VALUE) {
        throw new EstimateException(id + ": " + property + " must be a whole number, got " + v);
      }
      return (int) n;
    }

    private static Double parse(JsonNode v) {
      if (v.isNumber()) return v.asDouble();
      // a decimal as CloudFormation writes one; Java's parser would also take "1024d" or hex
      if (v.isTextual() && DECIMAL.matcher(v.asText().trim()).matches()) {
        double d = Double.parseDouble(v.asText().trim());
        return Double.isFinite(d) ? d : null;
      }
      return null;
    }

    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  private static void lambda(
      Props p, JsonNode resources, String id, JsonNode props, Map<String, Double> u) {
    Estimator est = p.est();
    int memory = p.integer(id, "MemorySize", props.path("MemorySize"), 128);
    Architecture arch = architecture(est, id, props.path("Architectures"));
    int ephemeral =
        p.integer(id, "EphemeralStorage.Size", props.path("EphemeralStorage").path("Size"), 512);
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    double duration = u.getOrDefault("durationMs", 0.0);
    if (!u.containsKey("requestsPerMonth")) est.assume(id + ": no usage, priced at zero requests");
    int provisioned = 0;
    for (Map.Entry<String, JsonNode> res : aliasesAndVersions(resources, id).entrySet()) {
      JsonNode rp = res.getValue();
      provisioned +=
          p.integer(
              res.getKey(),
              "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
              rp.path("ProvisionedConcurrencyConfig").path("ProvisionedConcurrentExecutions"),
              rp.has("ProvisionedConcurrencyConfig") ? null : 0);
    }
    double spillover = u.getOrDefault("spilloverRequestsPerMonth", 0.0);
    LambdaUsage usage =
        LambdaUsage.onDemand(memory, arch, requests, duration).withEphemeralMiB(ephemeral);
    if (provisioned > 0) {
      if (spillover > requests) {
        throw new EstimateException(
            id
                + ": spilloverRequestsPerMonth ("
                + Props.fmt(spillover)
                + ") is more than requestsPerMonth ("
                + Props.fmt(requests)
                + ")");
      }
      usage =
          LambdaUsage.onDemand(memory, arch, spillover, duration)
              .withEphemeralMiB(ephemeral)
              .withProvisioned(
                  provisioned, Traffic.HOURS_PER_MONTH, requests - spillover, duration);
      est.assume(
          id
              + ": provisioned concurrency all month, serving "
              + (spillover > 0
                  ? "all but the spilloverRequestsPerMonth, which are billed on demand"
                  : "all of its requests"));
    } else if (spillover > 0) {
      est.assume(
          "WARNING "
              + id
              + ": spilloverRequestsPerMonth given but the function has no provisioned"
              + " concurrency; all requests are on demand");
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

  private static Architecture architecture(Estimator est, String id, JsonNode architectures) {
    if (architectures.isMissingNode()) return Architecture.X86_64;
    JsonNode a = architectures.path(0);
    if (!architectures.isArray() || !a.isTextual()) {
      est.assume(id + ": Architectures is " + architectures + ", not resolved; priced as x86_64");
      return Architecture.X86_64;
    }
    return switch (a.asText()) {
      case "x86_64" -> Architecture.X86_64;
      case "arm64" -> Architecture.ARM64;
      default ->
          throw new EstimateException(
              id + ": Architectures must be [\"x86_64\"] or [\"arm64\"], got " + architectures);
    };
  }

  private static void api(Estimator est, ApiType type, String id, Map<String, Double> u) {
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    est.api(type, requests, u.getOrDefault("requestBytes", 0.0) / 1024);
    est.dataTransferOut(SpecEstimator.gib(requests * u.getOrDefault("responseBytes", 0.0)), false);
  }

  /** Each variant scales on its own scalable target (min..max, target invocations/minute). */
  private static void endpointConfig(
      Props p, JsonNode resources, String id, JsonNode props, Map<String, Double> u) {
    Estimator est = p.est();
    double requests = u.getOrDefault("requestsPerMonth", 0.0);
    List<JsonNode> variants = new ArrayList<>();
    props.path("ProductionVariants").forEach(variants::add);
    double[] weight = new double[variants.size()];
    for (int i = 0; i < weight.length; i++) {
      weight[i] =
          p.number(
              id,
              variantProperty(variants, i, "InitialVariantWeight"),
              variants.get(i).path("InitialVariantWeight"),
              1.0);
    }
    double weights = java.util.Arrays.stream(weight).sum();
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
    for (int i = 0; i < variants.size(); i++) {
      JsonNode v = variants.get(i);
      double share = weights == 0 ? 0 : weight[i] / weights;
      double variantRequests = requests * share;
      if (v.has("ServerlessConfig")) {
        est.sagemakerServerless(
            p.integer(
                id,
                variantProperty(variants, i, "ServerlessConfig.MemorySizeInMB"),
                v.path("ServerlessConfig").path("MemorySizeInMB"),
                null),
            variantRequests,
            u.getOrDefault("durationMs", 0.0));
        continue;
      }
      String name = v.path("VariantName").asText();
      int min =
          p.integer(
              id,
              variantProperty(variants, i, "InitialInstanceCount"),
              v.path("InitialInstanceCount"),
              1);
      int max = min;
      double target = Double.POSITIVE_INFINITY;
      for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> st = it.next();
        JsonNode sp = st.getValue().path("Properties");
        String resourceId = sp.path("ResourceId").toString();
        if (st.getValue()
                .path("Type")
                .asText()
                .equals("AWS::ApplicationAutoScaling::ScalableTarget")
            && resourceId.contains("/variant/" + name + "\"")
            && endpoints.stream().anyMatch(ep -> resourceId.contains("\"" + ep + "\""))) {
          min = p.integer(st.getKey(), "MinCapacity", sp.path("MinCapacity"), min);
          max = p.integer(st.getKey(), "MaxCapacity", sp.path("MaxCapacity"), Math.max(min, max));
          target = targetValue(p, resources, st.getKey());
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
        SpecEstimator.gib(requests * u.getOrDefault("requestBytes", 0.0)),
        SpecEstimator.gib(requests * u.getOrDefault("responseBytes", 0.0)));
  }

  /** {@code ProductionVariants[cnn].InitialInstanceCount}, by name when the variant has one. */
  private static String variantProperty(List<JsonNode> variants, int i, String property) {
    JsonNode name = variants.get(i).path("VariantName");
    return "ProductionVariants[" + (name.isTextual() ? name.asText() : i) + "]." + property;
  }

  private static double targetValue(Props p, JsonNode resources, String scalableTargetId) {
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> res = it.next();
      JsonNode sp = res.getValue().path("Properties");
      if (res.getValue().path("Type").asText().equals("AWS::ApplicationAutoScaling::ScalingPolicy")
          && sp.path("ScalingTargetId").toString().contains("\"" + scalableTargetId + "\"")) {
        return p.number(
            res.getKey(),
            "TargetTrackingScalingPolicyConfiguration.TargetValue",
            sp.path("TargetTrackingScalingPolicyConfiguration").path("TargetValue"),
            Double.POSITIVE_INFINITY);
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * A usage file stub ({@code --sync-usage}): every priced resource of {@code template} with the
   * fields it reads, at zero, and its type as a comment; aliases, versions and endpoints as
   * comments naming the entry that carries their traffic.
   */
  public static String usageStub(JsonNode template) {
    JsonNode resources = resources(template);
    StringBuilder sb =
        new StringBuilder("# usage for snapserve estimate --template, keyed by logical id\n");
    resources
        .fields()
        .forEachRemaining(
            r -> {
              String type = r.getValue().path("Type").asText();
              JsonNode props = r.getValue().path("Properties");
              List<String> fields = FIELDS_BY_TYPE.get(type);
              String carrier = carrierOf(resources, type, props);
              if (fields != null) {
                List<String> stub = new ArrayList<>(fields);
                if (type.equals("AWS::Lambda::Function")
                    && aliasesAndVersions(resources, r.getKey()).values().stream()
                        .anyMatch(rp -> rp.has("ProvisionedConcurrencyConfig"))) {
                  stub.add("spilloverRequestsPerMonth");
                }
                sb.append(r.getKey())
                    .append(": {")
                    .append(String.join(", ", stub.stream().map(f -> f + ": 0").toList()))
                    .append("}  # ")
                    .append(type)
                    .append('\n');
              } else if (carrier != null) {
                sb.append("# ")
                    .append(r.getKey())
                    .append(" (")
                    .append(type)
                    .append("): its traffic goes on ")
                    .append(carrier)
                    .append('\n');
              }
            });
    return sb.toString();
  }

  /** Aliases and versions carry a function's provisioned concurrency. */
  private static boolean isAliasOrVersion(String type) {
    return type.equals("AWS::Lambda::Alias") || type.equals("AWS::Lambda::Version");
  }

  /** The aliases and versions of function {@code id}: logical id to Properties, in order. */
  private static Map<String, JsonNode> aliasesAndVersions(JsonNode resources, String id) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> res = it.next();
      JsonNode rp = res.getValue().path("Properties");
      if (isAliasOrVersion(res.getValue().path("Type").asText())
          && id.equals(functionOf(resources, rp))) {
        out.put(res.getKey(), rp);
      }
    }
    return out;
  }
}
