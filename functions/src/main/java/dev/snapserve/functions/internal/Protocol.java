package dev.snapserve.functions.internal;

/** The request/response formats the predict routes speak. */
enum Protocol {
  /** TF Serving REST, row format: {"instances": ...} -> {"predictions": ...}. */
  TF_ROW,
  /** TF Serving REST, columnar format: {"inputs": ...} -> {"outputs": ...}. */
  TF_COLUMNAR,
  /** Open Inference Protocol v2 (KServe, Triton). */
  OIP
}
