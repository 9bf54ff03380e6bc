package dev.snapserve.aws.internal;

import dev.snapserve.functions.InferenceService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart (CRaC) hooks. Before the snapshot: prime every attached service through the handler's
 * event path, so the snapshot holds a hot JIT and ONNX Runtime's allocations. After each restore:
 * re-seed what must differ between execution environments restored from the same snapshot (random
 * state, request-id prefixes).
 */
public final class SnapStartHook implements Resource {
  private record Attached(InferenceService service, int primeIterations) {}

  private final List<Attached> services = new CopyOnWriteArrayList<>();
  private volatile int primed;

  public void attach(InferenceService service, int primeIterations) {
    services.add(new Attached(service, primeIterations));
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    for (Attached a : services) primed += LambdaHttp.prime(a.service(), a.primeIterations());
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    services.forEach(a -> a.service().reseed());
  }

  /** Requests run by {@link #beforeCheckpoint}, for tests and logs. */
  public int primed() {
    return primed;
  }
}
