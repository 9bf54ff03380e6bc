package dev.snapserve.packager.internal;

import dev.snapserve.packager.PackagerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one file: a single PUT up to the threshold, a multipart upload above it. Every request
 * carries the SHA-256 of its bytes ({@code x-amz-checksum-sha256}), so S3 refuses a body that was
 * corrupted on the way, and the checksum S3 reports back is compared with ours.
 */
public final class S3Upload {
  private S3Upload() {}

  /**
   * @param sha256 hex SHA-256 of the whole file
   * @param parts 1 for a single PUT
   */
  public record Uploaded(String key, long sizeBytes, String sha256, int parts) {}

  public static Uploaded upload(
      S3Client s3,
      String bucket,
      String key,
      Path file,
      long threshold,
      long partSize,
      LongConsumer sent) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      return size <= threshold
          ? putSingle(s3, bucket, key, file, ch, size, sent)
          : putMultipart(s3, bucket, key, ch, size, partSize, sent);
    } catch (IOException e) {
      throw new PackagerException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Uploaded putSingle(
      S3Client s3,
      String bucket,
      String key,
      Path file,
      FileChannel ch,
      long size,
      LongConsumer sent)
      throws IOException {
    MessageDigest whole = sha256();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long pos = 0; pos < size; ) {
      buf.clear();
      int n = ch.read(buf, pos);
      whole.update(buf.array(), 0, n);
      pos += n;
    }
    byte[] digest = whole.digest();
    String b64 = Base64.getEncoder().encodeToString(digest);
    PutObjectResponse r =
        s3.putObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .checksumSHA256(b64),
            RequestBody.fromFile(file));
    checkEcho(key, b64, r.checksumSHA256());
    sent.accept(size);
    return new Uploaded(key, size, HexFormat.of().formatHex(digest), 1);
  }

  private static Uploaded putMultipart(
      S3Client s3,
      String bucket,
      String key,
      FileChannel ch,
      long size,
      long partSize,
      LongConsumer sent)
      throws IOException {
    String uploadId =
        s3.createMultipartUpload(
                b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    boolean completed = false;
    try {
      MessageDigest whole = sha256();
      List<CompletedPart> parts = new ArrayList<>();
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(partSize, size));
      long pos = 0;
      for (int number = 1; pos < size; number++) {
        buf.clear();
        buf.limit((int) Math.min(partSize, size - pos));
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) throw new IOException("file shrank");
        }
        byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
        whole.update(bytes);
        String b64 = Base64.getEncoder().encodeToString(sha256().digest(bytes));
        int partNumber = number;
        UploadPartResponse r =
            s3.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .checksumSHA256(b64),
                RequestBody.fromBytes(bytes));
        checkEcho(key + " part " + number, b64, r.checksumSHA256());
        parts.add(
            CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumSHA256(b64).build());
        pos += bytes.length;
        sent.accept(pos);
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      completed = true;
      return new Uploaded(key, size, HexFormat.of().formatHex(whole.digest()), parts.size());
    } finally {
      // an incomplete upload keeps its parts (and costs storage) until aborted
      if (!completed) abortQuietly(s3, bucket, key, uploadId);
    }
  }

  /** Aborts; a failure here must not hide the error that made the upload incomplete. */
  private static void abortQuietly(S3Client s3, String bucket, String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      System.err.println(
          "snapserve: could not abort the multipart upload "
              + uploadId
              + " of s3://"
              + bucket
              + "/"
              + key
              + " ("
              + e.getMessage()
              + "); abort it or set a lifecycle rule to remove its parts");
    }
  }

  /**
   * S3 answers with the checksum it computed over what it received (when it does: not every
   * S3-compatible store echoes it); it must be ours.
   */
  private static void checkEcho(String what, String sent, String stored) {
    if (stored != null && !stored.equals(sent)) {
      throw new PackagerException(
          "S3 stored " + what + " with SHA-256 " + stored + " but we sent " + sent);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
