package dev.snapserve.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snapserve.functions.Fixtures;
import dev.snapserve.functions.Manifest;
import dev.snapserve.packager.PackageRequest;
import dev.snapserve.packager.PackageResult;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaZipTest {
  @TempDir Path tmp;

  @Test
  void aZipAboveLambdasLimitsIsAClearErrorAndLeavesNothing() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    Files.copy(Fixtures.demo().resolve("model.onnx"), bundle.resolve("model.onnx"));
    Manifest manifest =
        BundleWriter.write(bundle, "model.onnx", "digits", "1", List.of(), Map.of(), List.of());
    PackageRequest request =
        PackageRequest.builder(bundle, PackageRequest.Target.LAMBDA)
            .arch(PackageRequest.Arch.X86_64)
            .outputDir(tmp.resolve("out"))
            .build();
    Path out = tmp.resolve("out/d.zip");
    Deployable.Context context =
        new Deployable.Context(request, bundle, manifest, out, tmp.resolve("work"), Progress.NONE);

    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    out, false, t -> new LambdaZip(1 << 20, 250L << 20).build(context, t)))
        .isInstanceOf(PackagerException.class)
        .hasMessageMatching(
            "the Lambda zip is [0-9.]+ MB zipped, above Lambda's limit for a directly uploaded zip \\(1\\.0 MB\\).*");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    out, false, t -> new LambdaZip(50L << 20, 10L << 20).build(context, t)))
        .hasMessageContaining("MB unzipped, above Lambda's limit for unzipped code (10.0 MB)");
    try (Stream<Path> left = Files.list(out.getParent())) {
      assertThat(left).isEmpty();
    }
    // through S3 only the unzipped limit applies
    PackageRequest viaS3 =
        PackageRequest.builder(bundle, PackageRequest.Target.LAMBDA)
            .arch(PackageRequest.Arch.X86_64)
            .outputDir(tmp.resolve("out"))
            .viaS3(true)
            .build();
    Deployable.Built[] built = new Deployable.Built[1];
    AtomicFiles.write(
        out,
        false,
        t ->
            built[0] =
                new LambdaZip(1 << 20, 250L << 20)
                    .build(
                        new Deployable.Context(
                            viaS3, bundle, manifest, out, tmp.resolve("work2"), Progress.NONE),
                        t));
    assertThat(built[0].artifactBytes()).isGreaterThan(1 << 20);
    assertThat(built[0].limits()).extracting(PackageResult.Limit::what).containsExactly("unzipped");
    assertThat(built[0].deployCommand()).contains("--code S3Bucket=BUCKET,S3Key=KEY");
  }

  @Test
  void onlyTheChosenPlatformsNativesAreKept() {
    var keep = RuntimeJars.keepPlatform(PackageRequest.Arch.ARM64);
    assertThat(keep.test("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so")).isTrue();
    assertThat(keep.test("ai/onnxruntime/native/linux-x64/libonnxruntime.so")).isFalse();
    assertThat(keep.test("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib")).isFalse();
    assertThat(keep.test("ai/onnxruntime/native/win-x64/onnxruntime.dll")).isFalse();
    assertThat(keep.test("ai/onnxruntime/OrtSession.class")).isTrue();
    assertThat(RuntimeJars.isOnnxRuntime("onnxruntime-1.29.0.jar")).isTrue();
    assertThat(RuntimeJars.isOnnxRuntime("onnxruntime_gpu-1.29.0.jar")).isFalse();
  }
}
