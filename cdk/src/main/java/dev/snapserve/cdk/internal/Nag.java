package dev.snapserve.cdk.internal;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions that are design decisions of a construct, recorded next to it (as metadata,
 * inert unless a nag pack runs), each with the reason.
 */
public final class Nag {
  private Nag() {}

  /** Suppresses {@code rule} on {@code scope} and its children; {@code appliesTo} narrows it. */
  public static void suppress(IConstruct scope, String rule, String reason, Object... appliesTo) {
    NagPackSuppression.Builder s = NagPackSuppression.builder().id(rule).reason(reason);
    if (appliesTo.length > 0) s.appliesTo(List.of(appliesTo));
    NagSuppressions.addResourceSuppressions(scope, List.of(s.build()), true);
  }

  /** A finding pattern, e.g. {@code ^Resource::.*\/data-capture\/\*$}. */
  public static RegexAppliesTo regex(String pattern) {
    return RegexAppliesTo.builder().regex("/" + pattern + "/").build();
  }
}
