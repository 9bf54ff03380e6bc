package dev.snapserve.estimate;

import static dev.snapserve.estimate.internal.Mappers.YAML;
import static dev.snapserve.estimate.internal.Mappers.firstLine;
import static dev.snapserve.estimate.internal.Mappers.readText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.Traffic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code estimate --spec S --usage usage.yaml}: overrides of the spec's traffic profile. Every key
 * is optional; what is not given stays as the spec says:
 *
 * <pre>
 * requestsPerMonth: 20000000     # or requestsPerHour: [24 values, hours 0-23 UTC]
 * requestBytes: 600
 * responseBytes: 300
 * durationMs: 12                 # every target
 * targets:
 *   fn: {durationMs: 15}         # one target's mean in-model time
 * </pre>
 *
 * @param source the file, for messages
 * @param durationMsByTarget per-target mean duration, by target name
 */
public record SpecUsage(
    Path source,
    OptionalDouble requestsPerMonth,
    Optional<List<Double>> requestsPerHour,
    OptionalDouble requestBytes,
    OptionalDouble responseBytes,
    OptionalDouble durationMs,
    Map<String, Double> durationMsByTarget) {

  /** No overrides: the spec's own traffic profile. */
  public static final SpecUsage NONE =
      new SpecUsage(
          null,
          OptionalDouble.empty(),
          Optional.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          Map.of());

  private static final Set<String> KEYS =
      Set.of(
          "requestsPerMonth",
          "requestsPerHour",
          "requestBytes",
          "responseBytes",
          "durationMs",
          "targets");
  private static final Set<String> TARGET_KEYS = Set.of("durationMs");

  /** Reads and checks a usage file: unknown keys and negative or non-numeric values are errors. */
  public static SpecUsage read(Path file) {
    String text = readText(file, "usage file");
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new EstimateException(
          "cannot read usage file " + file + ": " + firstLine(e.getMessage()));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      root = YAML.createObjectNode(); // an empty file sets nothing, and says so
    }
    if (!root.isObject()) {
      throw new EstimateException(
          file + ": a usage file is a map of " + String.join(", ", new TreeSet<>(KEYS)));
    }
    checkKeys(file, "", root, KEYS);
    if (root.has("requestsPerMonth") && root.has("requestsPerHour")) {
      throw new EstimateException(
          file + ": give requestsPerMonth or requestsPerHour (24 values), not both");
    }
    Optional<List<Double>> perHour = Optional.empty();
    if (root.has("requestsPerHour")) {
      JsonNode h = root.get("requestsPerHour");
      if (!h.isArray() || h.size() != 24) {
        throw new EstimateException(
            file + ": requestsPerHour must be a list of 24 numbers (hours 0-23), got " + h);
      }
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        values.add(number(file, "requestsPerHour[" + i + "]", h.get(i), false));
      }
      perHour = Optional.of(List.copyOf(values));
    }
    Map<String, Double> byTarget = new LinkedHashMap<>();
    JsonNode targets = root.path("targets");
    if (!targets.isMissingNode()) {
      if (!targets.isObject()) {
        throw new EstimateException(file + ": targets maps target names to {durationMs: N}");
      }
      for (var t : targets.properties()) {
        if (!t.getValue().isObject()) {
          throw new EstimateException(
              file + ": targets." + t.getKey() + " must be a map like {durationMs: 15}");
        }
        checkKeys(file, "targets." + t.getKey() + ".", t.getValue(), TARGET_KEYS);
        if (t.getValue().has("durationMs")) {
          byTarget.put(
              t.getKey(),
              number(
                  file,
                  "targets." + t.getKey() + ".durationMs",
                  t.getValue().get("durationMs"),
                  false));
        }
      }
    }
    return new SpecUsage(
        file,
        optional(file, root, "requestsPerMonth", false),
        perHour,
        optional(file, root, "requestBytes", true),
        optional(file, root, "responseBytes", true),
        optional(file, root, "durationMs", false),
        Map.copyOf(byTarget));
  }

  /** The spec's traffic with this file's overrides; a new profile replaces the old one. */
  public Traffic apply(Traffic t) {
    double perMonth = requestsPerMonth.orElse(t.requestsPerMonth());
    Optional<List<Double>> perHour =
        requestsPerMonth.isPresent() ? Optional.empty() : t.requestsPerHour();
    if (requestsPerHour.isPresent()) {
      perHour = requestsPerHour;
      perMonth = Traffic.perMonth(requestsPerHour.get());
    }
    return new Traffic(
        perMonth,
        perHour,
        (int) requestBytes.orElse(t.requestBytes()),
        (int) responseBytes.orElse(t.responseBytes()),
        durationMs.orElse(t.durationMs()));
  }

  /** Fails when a per-target duration names no target of {@code spec}. */
  public void checkTargets(DeploymentSpec spec) {
    for (String name : durationMsByTarget.keySet()) {
      if (!spec.targets().containsKey(name)) {
        throw new EstimateException(
            source
                + ": targets."
                + name
                + " is not a target of the spec; its targets are "
                + String.join(", ", new TreeSet<>(spec.targets().keySet())));
      }
    }
  }

  /** The given keys, for the estimate's assumptions. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    requestsPerMonth.ifPresent(v -> parts.add("requestsPerMonth"));
    requestsPerHour.ifPresent(v -> parts.add("requestsPerHour"));
    requestBytes.ifPresent(v -> parts.add("requestBytes"));
    responseBytes.ifPresent(v -> parts.add("responseBytes"));
    durationMs.ifPresent(v -> parts.add("durationMs"));
    durationMsByTarget.forEach((k, v) -> parts.add("durationMs of " + k));
    return parts.isEmpty()
        ? "usage file " + source + " sets nothing; the spec's traffic profile is used"
        : "usage file " + source + " overrides the spec's " + String.join(", ", parts);
  }

  private static void checkKeys(Path file, String prefix, JsonNode node, Set<String> allowed) {
    for (String key : (Iterable<String>) node::fieldNames) {
      if (!allowed.contains(key)) {
        throw new EstimateException(
            file
                + ": "
                + prefix
                + key
                + " is not a usage key; use "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  private static OptionalDouble optional(Path file, JsonNode root, String key, boolean whole) {
    return root.has(key)
        ? OptionalDouble.of(number(file, key, root.get(key), whole))
        : OptionalDouble.empty();
  }

  private static double number(Path file, String where, JsonNode v, boolean whole) {
    if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
      throw new EstimateException(file + ": " + where + " must be a non-negative number, got " + v);
    }
    if (whole && (v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() > Integer.MAX_VALUE)) {
      throw new EstimateException(
          file + ": " + where + " must be a whole number of bytes, got " + v);
    }
    return v.asDouble();
  }
}
