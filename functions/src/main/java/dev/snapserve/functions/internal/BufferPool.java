package dev.snapserve.functions.internal;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Recycles {@link TensorBuffer}s across requests, independent of the threading model (a pool, not a
 * ThreadLocal, so virtual threads and thread-per-request servers reuse buffers too).
 */
final class BufferPool {
  private static final int MAX_POOLED = 64;
  private final ConcurrentLinkedQueue<TensorBuffer> free = new ConcurrentLinkedQueue<>();

  TensorBuffer[] borrow(int n) {
    TensorBuffer[] out = new TensorBuffer[n];
    for (int i = 0; i < n; i++) {
      TensorBuffer b = free.poll();
      out[i] = b != null ? b : new TensorBuffer();
    }
    return out;
  }

  void release(TensorBuffer[] buffers) {
    for (TensorBuffer b : buffers) {
      if (free.size() < MAX_POOLED) free.offer(b);
    }
  }
}
