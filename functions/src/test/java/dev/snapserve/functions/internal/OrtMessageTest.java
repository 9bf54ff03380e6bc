package dev.snapserve.functions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ONNX Runtime's error text reaches callers without its native source locations. */
class OrtMessageTest {
  @Test
  void sourceLocationAndSignatureAreRemovedTheCauseStays() {
    String ort =
        "[ErrorCode:InvalidArgument] Non-zero status code returned while running Gather node."
            + " Name:'/Gather' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/"
            + "tensor/gather.cc:154 onnxruntime::common::Status onnxruntime::GatherCommon(...)"
            + " indices element out of data bounds, idx=100 must be within the inclusive range"
            + " [-100,99]\nstack line";
    String shown = OrtModel.firstLine(new Exception(ort));
    assertThat(shown)
        .doesNotContain("onnxruntime_src", "gather.cc", "GatherCommon", "stack line")
        .contains("Gather node", "idx=100 must be within the inclusive range [-100,99]");
  }

  @Test
  void messagesWithoutLocationsAreUnchanged() {
    assertThat(OrtModel.firstLine(new Exception("Load model failed (x)")))
        .isEqualTo("Load model failed (x)");
  }
}
