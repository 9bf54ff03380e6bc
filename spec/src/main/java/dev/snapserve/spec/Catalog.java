package dev.snapserve.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The AWS regions and SageMaker instance types a spec may name. Kept as resource lists so the
 * validator, the JSON Schema test and the cost estimator's price catalog check against one list.
 */
public final class Catalog {
  private static final Set<String> REGIONS = read("regions.txt");
  private static final Set<String> INSTANCE_TYPES = read("sagemaker-instance-types.txt");

  private Catalog() {}

  /** Commercial AWS regions, e.g. {@code us-east-1}. */
  public static Set<String> regions() {
    return REGIONS;
  }

  /** SageMaker real-time inference instance types, e.g. {@code ml.g5.xlarge}. */
  public static Set<String> sagemakerInstanceTypes() {
    return INSTANCE_TYPES;
  }

  private static Set<String> read(String name) {
    try (InputStream in = Catalog.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      Set<String> out = new LinkedHashSet<>();
      Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .forEach(out::add);
      return Collections.unmodifiableSet(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
