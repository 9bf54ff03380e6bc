package dev.snapserve.spec.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.snapserve.spec.Api;
import dev.snapserve.spec.Catalog;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelRef;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Route;
import dev.snapserve.spec.SpecException;
import dev.snapserve.spec.Target;
import dev.snapserve.spec.Traffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code snapserve.yaml} and checks every rule; the one place a spec is validated. */
public final class SpecReader {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final Pattern ROUTE = Pattern.compile("/(v\\d+)/predict");
  private static final double WEIGHT_EPSILON = 1e-6;

  private final Path file;
  private final Map<String, Map<String, ModelVersion>> models = new LinkedHashMap<>();
  private final Map<String, Target> targets = new LinkedHashMap<>();

  private SpecReader(Path file) {
    this.file = file;
  }

  public static DeploymentSpec read(String yaml, Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new SpecException("", file + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SpecException(
          "", file + " must be a YAML mapping (service:, models:, routes:, ...)");
    }
    return new SpecReader(file).spec(new Node(root, ""));
  }

  private DeploymentSpec spec(Node root) {
    root.allowOnly(
        "service", "region", "tags", "models", "targets", "routes", "api", "traffic", "budget");
    String service = root.text("service");
    if (!SERVICE.matcher(service).matches()) {
      throw root.get("service")
          .error("must be 1-40 lower-case letters, digits or '-', starting with a letter");
    }
    String region =
        root.choice("region", "us-east-1", Catalog.regions().stream().sorted().toList());
    Map<String, String> tags = new LinkedHashMap<>();
    if (root.has("tags")) root.object("tags").entries().forEach((k, v) -> tags.put(k, v.asText()));

    root.object("models").entries().forEach(this::model);
    if (models.isEmpty()) throw root.get("models").error("must name at least one model");
    root.object("targets").entries().forEach(this::target);
    if (targets.isEmpty()) throw root.get("targets").error("must name at least one target");

    List<Route> routes = routes(root.object("routes"));
    Api api =
        root.optionalObject("api")
            .map(this::api)
            .orElse(new Api(Optional.empty(), Api.Auth.NONE, Optional.empty()));
    Traffic traffic = root.optionalObject("traffic").map(this::traffic).orElse(Traffic.NONE);
    Optional<Double> budget =
        root.optionalObject("budget")
            .map(b -> b.allowOnly("monthlyUsd").get("monthlyUsd").numberIn(0, 1e9));
    return new DeploymentSpec(
        service,
        region,
        tags,
        freeze(models),
        Collections.unmodifiableMap(targets),
        routes,
        api,
        traffic,
        budget,
        file);
  }

  private static Map<String, Map<String, ModelVersion>> freeze(
      Map<String, Map<String, ModelVersion>> m) {
    Map<String, Map<String, ModelVersion>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(v)));
    return Collections.unmodifiableMap(out);
  }

  // ---------------------------------------------------------------- models

  /** {@code name: {"3": models/fraud-3, "4": {bundle: ...} | {artifact: dist/...zip}}} */
  private void model(String name, Node versions) {
    if (!NAME.matcher(name).matches()) {
      throw versions.error("model name must match " + NAME.pattern());
    }
    Map<String, ModelVersion> byVersion = new LinkedHashMap<>();
    versions
        .entries()
        .forEach(
            (version, v) -> {
              if (!NAME.matcher(version).matches()) {
                throw v.error("version must match " + NAME.pattern() + " (quote numbers: \"3\")");
              }
              byVersion.put(version, modelVersion(name, version, v));
            });
    if (byVersion.isEmpty()) throw versions.error("must list at least one version");
    models.put(name, byVersion);
  }

  private ModelVersion modelVersion(String model, String version, Node v) {
    if (v.json.isValueNode()) {
      return new ModelVersion(model, version, resolve(v.asText()), false);
    }
    v.allowOnly("bundle", "artifact");
    if (v.has("bundle") == v.has("artifact")) {
      throw v.error("give exactly one of bundle (a bundle directory) or artifact (a packaged zip)");
    }
    boolean packaged = v.has("artifact");
    return new ModelVersion(
        model, version, resolve(v.text(packaged ? "artifact" : "bundle")), packaged);
  }

  private Path resolve(String path) {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? Path.of(path) : dir.resolve(path).normalize();
  }

  private ModelRef ref(Node n) {
    String s = n.asText();
    int at = s.indexOf('@');
    if (at <= 0 || at == s.length() - 1) {
      throw n.error("must be model@version, e.g. " + firstModelExample() + ", got '" + s + "'");
    }
    return known(n, new ModelRef(s.substring(0, at), s.substring(at + 1)));
  }

  private ModelRef known(Node where, ModelRef ref) {
    Map<String, ModelVersion> versions = models.get(ref.model());
    if (versions == null) {
      throw where.error(
          "unknown model '"
              + ref.model()
              + "' (models: "
              + String.join(", ", models.keySet())
              + ")");
    }
    if (!versions.containsKey(ref.version())) {
      throw where.error(
          "unknown version '"
              + ref.version()
              + "' of model '"
              + ref.model()
              + "' (versions: "
              + String.join(", ", versions.keySet())
              + ")");
    }
    return ref;
  }

  private String firstModelExample() {
    var first = models.entrySet().iterator().next();
    return first.getKey() + "@" + first.getValue().keySet().iterator().next();
  }

  // ---------------------------------------------------------------- targets

  private void target(String name, Node t) {
    if (!NAME.matcher(name).matches()) throw t.error("target name must match " + NAME.pattern());
    String type = t.choice("type", null, List.of("lambda", "gpuEndpoint", "serverlessEndpoint"));
    if (type == null)
      throw t.get("type").error("is required (allowed: lambda, gpuEndpoint, serverlessEndpoint)");
    targets.put(
        name,
        switch (type) {
          case "lambda" -> lambda(name, t);
          case "gpuEndpoint" -> gpuEndpoint(name, t);
          default -> serverlessEndpoint(name, t);
        });
  }

  private Target.Lambda lambda(String name, Node t) {
    t.allowOnly(
        "type",
        "memoryMiB",
        "architecture",
        "snapStart",
        "timeoutSeconds",
        "ephemeralStorageMiB",
        "reservedConcurrency",
        "provisionedConcurrency");
    int memory = t.integer("memoryMiB", 2048, Target.MIN_MEMORY_MIB, Target.MAX_MEMORY_MIB);
    Target.Architecture arch =
        Target.Architecture.valueOf(
            t.choice("architecture", "arm64", List.of("arm64", "x86_64")).toUpperCase(Locale.ROOT));
    boolean snapStart = t.bool("snapStart", true);
    int timeout = t.integer("timeoutSeconds", 30, 1, 900);
    int ephemeral =
        t.integer("ephemeralStorageMiB", 512, Target.MIN_EPHEMERAL_MIB, Target.MAX_EPHEMERAL_MIB);
    Optional<Integer> reserved = t.optionalInteger("reservedConcurrency", 0, 1_000_000);
    int provisioned = t.integer("provisionedConcurrency", 0, 0, 1_000_000);
    if (snapStart && provisioned > 0) {
      throw t.get("provisionedConcurrency")
          .error(
              "Lambda does not allow provisioned concurrency with SnapStart; set snapStart: false or remove provisionedConcurrency");
    }
    if (snapStart && ephemeral > 512) {
      throw t.get("ephemeralStorageMiB")
          .error(
              "SnapStart functions are limited to 512 MiB of ephemeral storage, got " + ephemeral);
    }
    if (reserved.isPresent() && provisioned > reserved.get()) {
      throw t.get("provisionedConcurrency")
          .error(
              "must not exceed reservedConcurrency (" + reserved.get() + "), got " + provisioned);
    }
    return new Target.Lambda(
        name, memory, arch, snapStart, timeout, ephemeral, reserved, provisioned);
  }

  private Target.GpuEndpoint gpuEndpoint(String name, Node t) {
    t.allowOnly(
        "type",
        "image",
        "instanceType",
        "minInstances",
        "maxInstances",
        "targetInvocationsPerInstance",
        "dataCapturePercent",
        "variants");
    Target.ImageRef image = image(t);
    String instanceType = instanceType(t);
    int min = t.integer("minInstances", 1, 1, 1000);
    int max = t.integer("maxInstances", min, 1, 1000);
    if (max < min)
      throw t.get("maxInstances").error("must be >= minInstances (" + min + "), got " + max);
    int target = t.integer("targetInvocationsPerInstance", 100, 1, 1_000_000);
    double capture = t.number("dataCapturePercent", 0, 0, 100);
    List<Target.Variant> variants = new ArrayList<>();
    if (t.has("variants")) {
      Set<String> names = new HashSet<>();
      for (Node v : t.list("variants")) {
        v.allowOnly("name", "model", "weight");
        String vn = v.text("name");
        if (!NAME.matcher(vn).matches()) throw v.get("name").error("must match " + NAME.pattern());
        if (!names.add(vn)) throw v.get("name").error("duplicate variant name '" + vn + "'");
        variants.add(new Target.Variant(vn, ref(v.get("model")), v.get("weight").numberIn(0, 100)));
      }
      checkWeights(
          t.get("variants"), variants.stream().mapToDouble(Target.Variant::weightPercent).sum());
    }
    return new Target.GpuEndpoint(
        name, image, instanceType, min, max, target, capture, List.copyOf(variants));
  }

  private static void checkWeights(Node where, double sum) {
    if (Math.abs(sum - 100) > WEIGHT_EPSILON) {
      throw where.error("variant weights must sum to 100, got " + Node.fmt(sum));
    }
  }

  private Target.ServerlessEndpoint serverlessEndpoint(String name, Node t) {
    t.allowOnly("type", "image", "memoryMiB", "maxConcurrency", "provisionedConcurrency");
    Target.ImageRef image = image(t);
    List<Integer> sizes = Target.SERVERLESS_MEMORY_MIB;
    int memory = t.integer("memoryMiB", 2048, sizes.getFirst(), sizes.getLast());
    if (!sizes.contains(memory)) {
      throw t.get("memoryMiB")
          .error("must be one of " + sizes + " (SageMaker serverless), got " + memory);
    }
    int maxConcurrency = t.integer("maxConcurrency", 20, 1, 200);
    int provisioned = t.integer("provisionedConcurrency", 0, 0, maxConcurrency);
    return new Target.ServerlessEndpoint(name, image, memory, maxConcurrency, provisioned);
  }

  private static String instanceType(Node t) {
    Node n = t.get("instanceType");
    String type = t.text("instanceType");
    if (!Catalog.sagemakerInstanceTypes().contains(type)) {
      String family =
          type.contains(".") && type.startsWith("ml.")
              ? type.substring(0, type.lastIndexOf('.') + 1)
              : "ml.";
      List<String> similar =
          Catalog.sagemakerInstanceTypes().stream()
              .filter(s -> s.startsWith(family))
              .sorted()
              .toList();
      throw n.error(
          "unknown SageMaker instance type '"
              + type
              + "' (e.g. "
              + String.join(
                  ", ",
                  similar.isEmpty()
                      ? List.of("ml.g5.xlarge", "ml.m5.large", "ml.inf2.xlarge")
                      : similar)
              + ")");
    }
    return type;
  }

  /**
   * {@code image: {repository: ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO, tag: "3" | digest:
   * sha256:...}}
   */
  private static Target.ImageRef image(Node t) {
    Node img = t.object("image").allowOnly("repository", "tag", "digest");
    String repo = img.text("repository");
    if (!Target.ImageRef.ECR.matcher(repo).matches()) {
      throw img.get("repository")
          .error(
              "must be an ECR repository URI, ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME, got '"
                  + repo
                  + "'");
    }
    Optional<String> tag = img.optionalText("tag");
    Optional<String> digest = img.optionalText("digest");
    if (tag.isPresent() == digest.isPresent()) throw img.error("give exactly one of tag or digest");
    if (digest.isPresent() && !digest.get().matches("sha256:[0-9a-f]{64}")) {
      throw img.get("digest").error("must be sha256:<64 hex digits>");
    }
    return new Target.ImageRef(repo, tag, digest);
  }

  // ---------------------------------------------------------------- routes

  private List<Route> routes(Node routesNode) {
    Map<String, Node> entries = routesNode.entries();
    if (entries.isEmpty()) throw routesNode.error("must name at least one route, e.g. /v1/predict");
    List<Route> routes = new ArrayList<>();
    boolean anyShare = entries.values().stream().anyMatch(n -> n.has("trafficPercent"));
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      String path = e.getKey();
      Node r = e.getValue().allowOnly("model", "target", "canary", "trafficPercent");
      Matcher m = ROUTE.matcher(path);
      if (!m.matches()) throw r.error("route paths look like /v1/predict, /v2/predict, ...");
      String targetName = targetOf(r);
      Target target = targets.get(targetName);
      Optional<ModelRef> model =
          r.has("model") ? Optional.of(ref(r.get("model"))) : Optional.empty();
      boolean variants = target instanceof Target.GpuEndpoint g && !g.variants().isEmpty();
      if (model.isEmpty() && !variants) throw r.get("model").error("is required (model@version)");
      if (model.isPresent() && variants) {
        throw r.get("model")
            .error("target '" + targetName + "' routes by its variants; remove model here");
      }
      Optional<Route.Canary> canary = Optional.empty();
      if (r.has("canary")) {
        Node c = r.object("canary").allowOnly("version", "weight");
        if (!(target instanceof Target.Lambda)) {
          throw c.error("canaries are for lambda targets; endpoints split traffic with variants");
        }
        ModelRef base = model.orElseThrow();
        ModelRef canaryRef = known(c.get("version"), new ModelRef(base.model(), c.text("version")));
        if (canaryRef.equals(base))
          throw c.get("version").error("must differ from the route's version " + base.version());
        canary = Optional.of(new Route.Canary(canaryRef, c.get("weight").numberIn(0.01, 99.99)));
      }
      double share = anyShare ? r.number("trafficPercent", 0, 0, 100) : 100.0 / entries.size();
      routes.add(new Route(path, m.group(1), model, canary, targetName, share));
    }
    if (anyShare) {
      double sum = routes.stream().mapToDouble(Route::trafficPercent).sum();
      if (Math.abs(sum - 100) > WEIGHT_EPSILON) {
        throw routesNode.error(
            "trafficPercent of the routes must sum to 100, got " + Node.fmt(sum));
      }
    }
    return List.copyOf(routes);
  }

  private String targetOf(Node r) {
    if (!r.has("target")) {
      if (targets.size() == 1) return targets.keySet().iterator().next();
      throw r.get("target")
          .error(
              "is required when there are several targets (targets: "
                  + String.join(", ", targets.keySet())
                  + ")");
    }
    String name = r.text("target");
    if (!targets.containsKey(name)) {
      throw r.get("target")
          .error(
              "unknown target '"
                  + name
                  + "' (targets: "
                  + String.join(", ", targets.keySet())
                  + ")");
    }
    return name;
  }

  // ---------------------------------------------------------------- api, traffic

  private Api api(Node a) {
    a.allowOnly("throttling", "auth", "cors");
    Optional<Api.Throttling> throttling =
        a.optionalObject("throttling")
            .map(t -> t.allowOnly("rateLimit", "burstLimit"))
            .map(
                t ->
                    new Api.Throttling(
                        t.get("rateLimit").numberIn(1, 1_000_000),
                        t.get("burstLimit").integerIn(1, 1_000_000)));
    Api.Auth auth = a.optionalObject("auth").map(this::auth).orElse(Api.Auth.NONE);
    Optional<Api.Cors> cors =
        a.optionalObject("cors")
            .map(c -> c.allowOnly("allowOrigins", "allowMethods", "allowHeaders"))
            .map(
                c ->
                    new Api.Cors(
                        c.texts("allowOrigins"), c.texts("allowMethods"), c.texts("allowHeaders")));
    cors.ifPresent(
        c -> {
          if (c.allowOrigins().isEmpty())
            throw a.get("cors")
                .get("allowOrigins")
                .error("must list at least one origin (or \"*\")");
        });
    return new Api(throttling, auth, cors);
  }

  private Api.Auth auth(Node a) {
    a.allowOnly("type", "issuer", "audience");
    Api.AuthType type =
        Api.AuthType.valueOf(
            a.choice("type", "none", List.of("none", "iam", "jwt")).toUpperCase(Locale.ROOT));
    if (type != Api.AuthType.JWT) {
      if (a.has("issuer") || a.has("audience"))
        throw a.error("issuer and audience apply to type: jwt only");
      return new Api.Auth(type, Optional.empty(), List.of());
    }
    String issuer = a.text("issuer");
    if (!issuer.startsWith("https://"))
      throw a.get("issuer").error("must be an https:// URL, got '" + issuer + "'");
    List<String> audience = a.texts("audience");
    if (audience.isEmpty()) throw a.get("audience").error("is required for type: jwt");
    return new Api.Auth(type, Optional.of(issuer), audience);
  }

  private Traffic traffic(Node t) {
    t.allowOnly(
        "requestsPerMonth", "requestsPerHour", "requestBytes", "responseBytes", "durationMs");
    if (t.has("requestsPerMonth") == t.has("requestsPerHour")) {
      throw t.error(
          "give exactly one of requestsPerMonth or requestsPerHour (24 values, hours 0-23)");
    }
    Optional<List<Double>> perHour = Optional.empty();
    double perMonth;
    if (t.has("requestsPerHour")) {
      List<Node> hours = t.list("requestsPerHour");
      if (hours.size() != 24)
        throw t.get("requestsPerHour")
            .error("must have 24 values (hours 0-23), got " + hours.size());
      List<Double> values = hours.stream().map(h -> h.numberIn(0, 1e12)).toList();
      perHour = Optional.of(values);
      perMonth = Traffic.perMonth(values);
    } else {
      perMonth = t.get("requestsPerMonth").numberIn(0, 1e15);
    }
    return new Traffic(
        perMonth,
        perHour,
        t.integer("requestBytes", 1024, 0, 256 * 1024 * 1024),
        t.integer("responseBytes", 512, 0, 256 * 1024 * 1024),
        t.number("durationMs", 50, 1, 900_000));
  }
}
