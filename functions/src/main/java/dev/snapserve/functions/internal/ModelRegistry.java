package dev.snapserve.functions.internal;

import dev.snapserve.functions.SnapserveException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Loaded models by name and version, plus version labels ("stable" -> "3"). */
public final class ModelRegistry {
  /** Numeric versions compare as numbers ("10" after "9"); others as text, after numbers. */
  static final Comparator<String> VERSION_ORDER =
      (a, b) -> {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na && nb) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        if (na != nb) return na ? -1 : 1;
        return a.compareTo(b);
      };

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 18) return false;
    for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
    return true;
  }

  private final Map<String, NavigableMap<String, OrtModel>> models = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> labels = new HashMap<>();

  public ModelRegistry(List<OrtModel> loaded, String versionLabels) {
    for (OrtModel m : loaded) {
      OrtModel previous =
          models.computeIfAbsent(m.name(), k -> new TreeMap<>(VERSION_ORDER)).put(m.version(), m);
      if (previous != null) {
        throw new IllegalArgumentException(
            "model " + m.name() + " version " + m.version() + " is loaded twice");
      }
    }
    parseLabels(versionLabels);
  }

  /** Syntax: {@code name:label=version,label=version;name2:...}. */
  private void parseLabels(String spec) {
    if (spec == null || spec.isBlank()) return;
    for (String group : spec.split(";")) {
      if (group.isBlank()) continue;
      int colon = group.indexOf(':');
      if (colon < 0) throw badLabels(group);
      String name = group.substring(0, colon).trim();
      for (String pair : group.substring(colon + 1).split(",")) {
        String[] kv = pair.split("=");
        if (kv.length != 2) throw badLabels(group);
        String label = kv[0].trim();
        String version = kv[1].trim();
        if (!models.containsKey(name) || !models.get(name).containsKey(version)) {
          throw new IllegalArgumentException(
              "version label "
                  + name
                  + ":"
                  + label
                  + " points at "
                  + name
                  + " version "
                  + version
                  + ", which is not loaded");
        }
        labels.computeIfAbsent(name, k -> new HashMap<>()).put(label, version);
      }
    }
  }

  private static IllegalArgumentException badLabels(String group) {
    return new IllegalArgumentException(
        "SNAPSERVE_VERSION_LABELS entry '" + group + "' is not name:label=version[,label=version]");
  }

  public Collection<OrtModel> all() {
    List<OrtModel> out = new ArrayList<>();
    models.values().forEach(v -> out.addAll(v.values()));
    return out;
  }

  /** Name of the first model loaded. */
  String firstName() {
    return models.keySet().iterator().next();
  }

  List<OrtModel> versions(String name) {
    return List.copyOf(byName(name).values());
  }

  /** A model by name and version; a null version means the newest. */
  OrtModel get(String name, String version) {
    NavigableMap<String, OrtModel> versions = byName(name);
    if (version == null) return versions.lastEntry().getValue();
    OrtModel m = versions.get(version);
    if (m == null) {
      throw SnapserveException.notFound(
          "model '" + name + "' has no version '" + version + "'; it has " + versions.keySet());
    }
    return m;
  }

  OrtModel byLabel(String name, String label) {
    String version = labels.getOrDefault(name, Map.of()).get(label);
    if (version == null) {
      byName(name);
      throw SnapserveException.notFound(
          "model '"
              + name
              + "' has no version label '"
              + label
              + "'; it has "
              + labels.getOrDefault(name, Map.of()).keySet());
    }
    return get(name, version);
  }

  /** A version or, failing that, a label. */
  OrtModel resolve(String name, String versionOrLabel) {
    if (versionOrLabel == null || byName(name).containsKey(versionOrLabel)) {
      return get(name, versionOrLabel);
    }
    return byLabel(name, versionOrLabel);
  }

  private NavigableMap<String, OrtModel> byName(String name) {
    NavigableMap<String, OrtModel> versions = models.get(name);
    if (versions == null) {
      throw SnapserveException.notFound(
          "no model named '" + name + "'; serving " + models.keySet());
    }
    return versions;
  }
}
