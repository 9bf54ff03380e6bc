package dev.snapserve.functions.internal;

import dev.snapserve.functions.SnapserveException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The public API versions ({@code /v1/predict}, {@code /v2/predict}, ...) and the model versions
 * behind each, with optional weighted canaries. A request key picks a side deterministically, so
 * one caller sticks to one side; without a key the pick is random.
 */
final class Router {
  record Target(String model, String versionOrLabel, int weight) {}

  private final Map<String, List<Target>> routes = new LinkedHashMap<>();
  private final ModelRegistry registry;

  /**
   * Syntax: {@code v1=digits@1;v2=digits@1:90,digits@2:10}; a target is {@code
   * model[@version-or-label][:weight]}. Null routes v1 to the first model's newest version.
   */
  Router(ModelRegistry registry, String spec) {
    this.registry = registry;
    if (spec == null || spec.isBlank()) {
      routes.put("v1", List.of(new Target(registry.firstName(), null, 1)));
      return;
    }
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) continue;
      int eq = entry.indexOf('=');
      String api = eq < 0 ? "" : entry.substring(0, eq).trim();
      if (!api.matches("v\\d+")) {
        throw new IllegalArgumentException(
            "SNAPSERVE_ROUTES entry '" + entry + "' must look like v1=model@version[:weight],...");
      }
      List<Target> targets = new ArrayList<>();
      for (String t : entry.substring(eq + 1).split(",")) targets.add(parseTarget(t.trim(), entry));
      routes.put(api, List.copyOf(targets));
    }
  }

  private Target parseTarget(String t, String entry) {
    int weight = 1;
    int colon = t.lastIndexOf(':');
    if (colon >= 0) {
      try {
        weight = Integer.parseInt(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        weight = -1;
      }
      if (weight <= 0) {
        throw new IllegalArgumentException(
            "SNAPSERVE_ROUTES entry '" + entry + "': weight must be a positive integer");
      }
      t = t.substring(0, colon);
    }
    int at = t.indexOf('@');
    Target target =
        new Target(at < 0 ? t : t.substring(0, at), at < 0 ? null : t.substring(at + 1), weight);
    try {
      registry.resolve(target.model(), target.versionOrLabel()); // fail at start, not per request
    } catch (SnapserveException e) {
      throw new IllegalArgumentException(
          "SNAPSERVE_ROUTES entry '" + entry + "': " + e.getMessage(), e);
    }
    return target;
  }

  Map<String, List<Target>> routes() {
    return routes;
  }

  /** The model behind {@code /{api}/predict}. */
  OrtModel route(String api, String key, RandomGenerator random) {
    List<Target> targets = routes.get(api);
    if (targets == null) {
      throw SnapserveException.notFound(
          "no API version '" + api + "'; routes are " + routes.keySet() + " (/{version}/predict)");
    }
    Target chosen = targets.get(0);
    if (targets.size() > 1) {
      int total = targets.stream().mapToInt(Target::weight).sum();
      int bucket =
          key == null || key.isEmpty() ? nextInt(random, total) : Math.floorMod(fnv1a(key), total);
      for (Target t : targets) {
        if (bucket < t.weight()) {
          chosen = t;
          break;
        }
        bucket -= t.weight();
      }
    }
    return registry.resolve(chosen.model(), chosen.versionOrLabel());
  }

  /**
   * The engine's generator is shared by every request thread, and the JDK's seedable generators
   * (L64X128MixRandom) are not thread-safe: unsynchronized, concurrent requests can read the same
   * state and get the same pick, skewing the canary split under load.
   */
  private static int nextInt(RandomGenerator random, int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  /** FNV-1a: stable across JVMs and releases, unlike String.hashCode's contract. */
  static long fnv1a(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
