package dev.snapserve.spec;

import dev.snapserve.spec.internal.SpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment, described once in {@code snapserve.yaml}: the CDK app provisions it, the estimator
 * prices it and {@code snapserve serve --spec} runs its routes locally. {@link #load} validates
 * everything; an invalid spec is a {@link SpecException} naming the field and the allowed values.
 *
 * @param models model name to its versions (in spec order)
 * @param targets target name to target (in spec order)
 * @param budgetMonthlyUsd synth fails when the estimate exceeds it
 */
public record DeploymentSpec(
    String service,
    String region,
    Map<String, String> tags,
    Map<String, Map<String, ModelVersion>> models,
    Map<String, Target> targets,
    List<Route> routes,
    Api api,
    Traffic traffic,
    Optional<Double> budgetMonthlyUsd,
    Path file) {

  /** Reads and validates a spec file; relative bundle paths resolve against its directory. */
  public static DeploymentSpec load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException("", "spec file " + file + " does not exist");
    } catch (IOException e) {
      throw new SpecException("", "cannot read spec file " + file + ": " + e.getMessage());
    }
    return parse(yaml, file.toAbsolutePath());
  }

  /** Parses and validates spec text; {@code file} anchors relative paths. */
  public static DeploymentSpec parse(String yaml, Path file) {
    return SpecReader.read(yaml, file);
  }

  /** The version a reference names; the spec guarantees every reference in it resolves. */
  public ModelVersion version(ModelRef ref) {
    ModelVersion v = models.getOrDefault(ref.model(), Map.of()).get(ref.version());
    if (v == null) throw new IllegalArgumentException("no model version " + ref + " in the spec");
    return v;
  }

  public Target target(String name) {
    Target t = targets.get(name);
    if (t == null) throw new IllegalArgumentException("no target " + name + " in the spec");
    return t;
  }
}
