package dev.snapserve.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snapserve.spec.SpecException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML node and its path in the document, with typed getters whose errors name that path and what
 * is allowed. Keeps every message of the validator in one shape.
 */
final class Node {
  final JsonNode json;
  final String path;

  Node(JsonNode json, String path) {
    this.json = json;
    this.path = path;
  }

  SpecException error(String message) {
    return new SpecException(path, message);
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return json.hasNonNull(name);
  }

  Node get(String name) {
    return new Node(json.get(name), child(name));
  }

  /** Fails on a misspelt or unsupported field, listing the allowed ones. */
  Node allowOnly(String... fields) {
    Set<String> allowed = Set.of(fields);
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new SpecException(
            child(f),
            "unknown field (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
    return this;
  }

  Node object(String name) {
    Node n = get(name);
    if (n.json == null || !n.json.isObject()) throw n.error("must be a mapping of fields");
    return n;
  }

  Optional<Node> optionalObject(String name) {
    return has(name) ? Optional.of(object(name)) : Optional.empty();
  }

  /** Fields of a mapping, in document order. */
  Map<String, Node> entries() {
    if (json == null || !json.isObject()) throw error("must be a mapping");
    Map<String, Node> out = new LinkedHashMap<>();
    json.fields()
        .forEachRemaining(e -> out.put(e.getKey(), new Node(e.getValue(), child(e.getKey()))));
    return out;
  }

  List<Node> list(String name) {
    Node n = get(name);
    if (n.json == null || !n.json.isArray()) throw n.error("must be a list");
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < n.json.size(); i++)
      out.add(new Node(n.json.get(i), n.path + "[" + i + "]"));
    return out;
  }

  String text(String name) {
    Node n = get(name);
    if (n.json == null || n.json.isNull()) throw n.error("is required");
    return n.asText();
  }

  Optional<String> optionalText(String name) {
    return has(name) ? Optional.of(text(name)) : Optional.empty();
  }

  String asText() {
    if (!json.isValueNode()) throw error("must be a single value, not a " + json.getNodeType());
    String s = json.asText().strip();
    if (s.isEmpty()) throw error("must not be empty");
    return s;
  }

  List<String> texts(String name) {
    if (!has(name)) return List.of();
    Node n = get(name);
    if (n.json.isValueNode()) return List.of(n.asText());
    return list(name).stream().map(Node::asText).toList();
  }

  /** One of {@code allowed} (case-insensitive); errors list the allowed values. */
  String choice(String name, String defaultValue, Collection<String> allowed) {
    if (!has(name)) return defaultValue;
    Node n = get(name);
    String v = n.asText();
    for (String a : allowed) if (a.equalsIgnoreCase(v)) return a;
    throw n.error("'" + v + "' is not allowed (allowed: " + String.join(", ", allowed) + ")");
  }

  boolean bool(String name, boolean defaultValue) {
    if (!has(name)) return defaultValue;
    Node n = get(name);
    if (!n.json.isBoolean()) throw n.error("must be true or false, got '" + n.json.asText() + "'");
    return n.json.booleanValue();
  }

  int integer(String name, int defaultValue, int min, int max) {
    return has(name) ? get(name).integerIn(min, max) : defaultValue;
  }

  Optional<Integer> optionalInteger(String name, int min, int max) {
    return has(name) ? Optional.of(get(name).integerIn(min, max)) : Optional.empty();
  }

  int integerIn(int min, int max) {
    if (!json.canConvertToExactIntegral() || !json.isNumber()) {
      throw error(
          "must be a whole number from " + min + " to " + max + ", got '" + json.asText() + "'");
    }
    long v = json.asLong();
    if (v < min || v > max) {
      throw error("must be from " + min + " to " + max + ", got " + v);
    }
    return (int) v;
  }

  double number(String name, double defaultValue, double min, double max) {
    return has(name) ? get(name).numberIn(min, max) : defaultValue;
  }

  /** A number; {@code 10%} is read as 10, so weights can be written either way. */
  double numberIn(double min, double max) {
    double v;
    if (json.isNumber()) {
      v = json.asDouble();
    } else {
      String s = json.isTextual() ? json.asText().strip() : "";
      if (s.endsWith("%")) s = s.substring(0, s.length() - 1).strip();
      try {
        v = Double.parseDouble(s.replace("_", ""));
      } catch (NumberFormatException e) {
        throw error("must be a number, got '" + json.asText() + "'");
      }
    }
    if (!(v >= min && v <= max)) {
      throw error("must be from " + fmt(min) + " to " + fmt(max) + ", got " + fmt(v));
    }
    return v;
  }

  static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
