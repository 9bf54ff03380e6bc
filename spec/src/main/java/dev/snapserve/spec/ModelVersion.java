package dev.snapserve.spec;

import java.nio.file.Path;

/**
 * One deployable version of a model.
 *
 * @param bundle the bundle directory (manifest.json + model), resolved against the spec's
 *     directory; or a packaged artifact (Lambda zip, gcf directory) when {@code packaged}
 */
public record ModelVersion(String model, String version, Path bundle, boolean packaged) {
  public ModelRef ref() {
    return new ModelRef(model, version);
  }
}
