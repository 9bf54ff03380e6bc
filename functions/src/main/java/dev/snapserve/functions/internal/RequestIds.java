package dev.snapserve.functions.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids: a random per-environment prefix and a counter, cheap and unique. */
final class RequestIds {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  RequestIds() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    prefix = HexFormat.of().formatHex(b) + "-";
  }

  String next() {
    return prefix + Long.toHexString(counter.incrementAndGet());
  }
}
