package dev.snapserve.packager.internal;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.snapserve.packager.PackagerException;
import dev.snapserve.packager.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

/**
 * The seams of {@code publish --ecr}: the ECR reference, the authorization token and the Jib target
 * built from them. Each is tested on its own; the push itself needs a real ECR.
 */
public final class EcrPush {
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?<account>\\d{12})\\.dkr\\.ecr(?<fips>-fips)?\\.(?<region>[a-z]{2}(-[a-z]+)+-\\d)"
              + "\\.amazonaws\\.com(?<cn>\\.cn)?/(?<repo>[^:@]+)(:(?<tag>[^:@/]+))?");

  /** ECR repository names: lower-case path segments separated by / (ECR's own pattern). */
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private EcrPush() {}

  /** {@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG}, parsed. */
  public record EcrReference(
      String account, String region, String registry, String repository, String tag) {
    @Override
    public String toString() {
      return registry + "/" + repository + ":" + tag;
    }
  }

  /** Parses and validates an ECR image reference; a tag is required (no implicit latest). */
  public static EcrReference parse(String reference) {
    Matcher m = REFERENCE.matcher(reference == null ? "" : reference);
    if (!m.matches()) {
      throw new PackagerException(
          "'"
              + reference
              + "' is not an ECR image reference: expected"
              + " ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG (12-digit account id)");
    }
    String repo = m.group("repo");
    if (!REPOSITORY.matcher(repo).matches() || repo.length() > 256) {
      throw new PackagerException(
          "ECR repository '"
              + repo
              + "' is invalid: lower-case letters, digits and . _ - / (as ECR allows)");
    }
    String tag = m.group("tag");
    if (tag == null) {
      throw new PackagerException(
          "'" + reference + "' has no tag: add one, e.g. :" + "1 (publish never implies latest)");
    }
    if (!TAG.matcher(tag).matches()) {
      throw new PackagerException(
          "image tag '"
              + tag
              + "' is invalid: up to 128 of A-Z a-z 0-9 _ . - not starting with . or -");
    }
    String registry = reference.substring(0, reference.indexOf('/'));
    return new EcrReference(m.group("account"), m.group("region"), registry, repo, tag);
  }

  /** Fetches an authorization token for the registry's account from ECR. */
  public static Credential fetchCredential(EcrClient ecr, EcrReference ref) {
    var data = ecr.getAuthorizationToken(b -> {}).authorizationData();
    if (data.isEmpty()) {
      throw new PackagerException("ECR returned no authorization token for " + ref.registry());
    }
    AuthorizationData first = data.getFirst();
    return decodeToken(first.authorizationToken());
  }

  /** ECR's token is base64 of {@code user:password} (the user is always AWS). */
  public static Credential decodeToken(String token) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new PackagerException("the ECR authorization token is not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      throw new PackagerException("the ECR authorization token is not of the form user:password");
    }
    return Credential.from(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /** Jib's name for the target image. */
  public static ImageReference imageReference(EcrReference ref) {
    return ImageReference.of(ref.registry(), ref.repository(), ref.tag());
  }

  /** The credential as Jib asks for it: on demand, once per registry. */
  public static CredentialRetriever retriever(Credential credential) {
    return () -> Optional.of(credential);
  }

  /**
   * Pushes the image in {@code tar} ({@code docker save} layout) to {@code target}, reporting
   * percent done to {@code task}. Layers go up as they are in the tarball; nothing is rebuilt.
   */
  public static JibContainer push(Path tar, Containerizer target, Progress.Task task)
      throws InterruptedException,
          RegistryException,
          IOException,
          CacheDirectoryCreationException,
          ExecutionException {
    target.addEventHandler(ProgressEvent.class, percentDone(task));
    JibContainer pushed = Jib.from(TarImage.at(tar)).containerize(target);
    // Jib's allocations need not add up to the whole (layers that exist are skipped)
    task.stepTo(100);
    return pushed;
  }

  /**
   * Jib's progress events summed into percent done on {@code task}; one handler per containerize
   * call (it keeps the running total).
   */
  public static Consumer<ProgressEvent> percentDone(Progress.Task task) {
    double[] done = new double[1];
    return e -> {
      synchronized (done) {
        done[0] +=
            e.getAllocation().getFractionOfRoot()
                * e.getUnits()
                / e.getAllocation().getAllocationUnits();
        task.stepTo(Math.min(100, Math.round(done[0] * 100)));
      }
    };
  }

  /** Where Jib pushes: the ECR repository, with the token's credential. */
  public static Containerizer containerizer(EcrReference ref, CredentialRetriever credentials) {
    return Containerizer.to(
            RegistryImage.named(imageReference(ref)).addCredentialRetriever(credentials))
        .setToolName("snapserve")
        // the layers come from the tarball; nothing is pulled, so no base-image cache is needed
        .setAlwaysCacheBaseImage(false);
  }
}
