package dev.snapserve.spec;

/** A model version as routes name it: {@code digits@3}. */
public record ModelRef(String model, String version) {
  @Override
  public String toString() {
    return model + "@" + version;
  }
}
