package dev.snapserve.cli;

import dev.snapserve.functions.Manifest;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.SnapserveException;
import dev.snapserve.functions.internal.RoutesSyntax;
import dev.snapserve.spec.DeploymentSpec;
import dev.snapserve.spec.ModelRef;
import dev.snapserve.spec.ModelVersion;
import dev.snapserve.spec.Route;
import dev.snapserve.spec.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code serve --spec}: the spec's routes served locally, exactly as they will be deployed. Each
 * model version is served under the spec's name and version (whatever its bundle's manifest says),
 * and canaries and endpoint variants become weighted routes.
 *
 * @param routes in {@code SNAPSERVE_ROUTES} syntax, e.g. {@code v2=digits@2:9000,digits@3:1000}
 */
record SpecServing(List<ModelBundle> bundles, String routes) {
  static SpecServing of(DeploymentSpec spec) {
    Map<ModelRef, ModelBundle> bundles = new LinkedHashMap<>();
    List<String> routes = new ArrayList<>();
    for (Route route : spec.routes()) {
      Map<ModelRef, Double> weights = route.weights();
      if (spec.target(route.target()) instanceof Target.GpuEndpoint gpu
          && route.model().isEmpty()) {
        gpu.variants().forEach(v -> weights.merge(v.model(), v.weightPercent(), Double::sum));
      }
      weights.keySet().forEach(ref -> bundles.computeIfAbsent(ref, r -> load(spec.version(r))));
      routes.add(
          RoutesSyntax.entry(
              route.apiVersion(),
              weights.entrySet().stream()
                  .map(e -> Map.entry(e.getKey().toString(), e.getValue()))
                  .toList()));
    }
    return new SpecServing(List.copyOf(bundles.values()), RoutesSyntax.join(routes));
  }

  private static ModelBundle load(ModelVersion v) {
    if (v.packaged()) {
      throw new IllegalArgumentException(
          "serve --spec needs bundle directories, but "
              + v.ref()
              + " points at a packaged artifact ("
              + v.bundle()
              + ")");
    }
    ModelBundle bundle;
    try {
      bundle = ModelBundle.load(v.bundle());
    } catch (SnapserveException e) {
      throw new IllegalArgumentException(v.ref() + ": " + e.getMessage(), e);
    }
    Manifest m = bundle.manifest();
    return new ModelBundle(
        bundle.directory(),
        new Manifest(
            m.schemaVersion(),
            v.model(),
            v.version(),
            m.format(),
            m.model(),
            m.signature(),
            m.labels(),
            m.provenance()));
  }
}
