package dev.snapserve.packager;

import dev.snapserve.functions.Manifest;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Packager#pack} wrote.
 *
 * @param target the deployment target
 * @param arch the architecture whose native library the artifact carries
 * @param artifact the zip or directory written
 * @param manifest the bundle manifest inside it
 * @param artifactBytes size of the artifact (a directory: the sum of its files)
 * @param unpackedBytes size once unpacked (equal to artifactBytes for a directory)
 * @param entryPoint the Lambda handler or the Cloud Functions entry point
 * @param deployCommand a command that deploys the artifact (placeholders in capitals)
 * @param limits sizes checked against the platform's limits
 */
public record PackageResult(
    PackageRequest.Target target,
    PackageRequest.Arch arch,
    Path artifact,
    Manifest manifest,
    long artifactBytes,
    long unpackedBytes,
    String entryPoint,
    String deployCommand,
    List<Limit> limits) {

  /** A size and the platform limit it was checked against. */
  public record Limit(String what, long bytes, long limitBytes) {}

  public PackageResult {
    limits = List.copyOf(limits);
  }
}
