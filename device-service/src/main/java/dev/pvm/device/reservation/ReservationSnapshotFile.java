package dev.pvm.device.reservation;

import dev.pvm.device.ReservationStoreException;
import dev.pvm.device.host.PciAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable copy of all reservations: one file, {@code reservations.json}, replaced as a whole on every change.
 *
 * <p>Format: a header line {@code pvm-device-reservations v1 crc32c=<8 hex> length=<bytes>} followed by the JSON
 * payload {@code {"generation": N, "reservations": {"<address>": "<vm id>", ...}}}. The checksum and length
 * cover the payload bytes exactly, so a damaged file is detected rather than half-read.
 *
 * <p>Crash safety: the new content goes to {@code reservations.json.tmp}, which is fsynced, renamed over the
 * old file (rename is atomic on POSIX file systems) and then the directory is fsynced so the rename itself is
 * durable. A kill at any point leaves either the old complete file or the new complete file; a leftover
 * {@code .tmp} is an uncommitted write and is discarded on load.
 */
public final class ReservationSnapshotFile {
  static final String FILE_NAME = "reservations.json";
  private static final String HEADER_PREFIX = "pvm-device-reservations v1";
  private static final Pattern HEADER =
      Pattern.compile("pvm-device-reservations v1 crc32c=([0-9a-f]{8}) length=(\\d+)");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the file holds. */
  public record Snapshot(long generation, SortedMap<PciAddress, String> reservations) {}

  private record Payload(long generation, Map<String, String> reservations) {}

  private final Path directory;
  private final Path file;
  private final Path temporary;

  public ReservationSnapshotFile(Path directory) {
    this.directory = directory;
    this.file = directory.resolve(FILE_NAME);
    this.temporary = directory.resolve(FILE_NAME + ".tmp");
  }

  public Path path() {
    return file;
  }

  public Snapshot load() {
    try {
      Files.createDirectories(directory);
      Files.deleteIfExists(temporary);
      if (!Files.exists(file)) {
        return new Snapshot(0, new TreeMap<>());
      }
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ReservationStoreException("cannot read reservations " + file + ": " + e.getMessage(), e);
    }
  }

  private Snapshot decode(byte[] bytes) {
    int newline = indexOf(bytes, (byte) '\n');
    if (newline < 0) {
      throw corrupt("no header line");
    }
    String header = new String(bytes, 0, newline, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) {
      throw corrupt("header \"" + header + "\" is not \"" + HEADER_PREFIX + " crc32c=... length=...\"");
    }
    int length = Integer.parseInt(m.group(2));
    if (bytes.length - newline - 1 != length) {
      throw corrupt("payload has " + (bytes.length - newline - 1) + " bytes, header says " + length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, newline + 1, length);
    if (!String.format("%08x", crc.getValue()).equals(m.group(1))) {
      throw corrupt("checksum mismatch");
    }
    try {
      Payload payload = JSON.readValue(bytes, newline + 1, length, Payload.class);
      SortedMap<PciAddress, String> map = new TreeMap<>();
      payload.reservations().forEach((address, vm) -> map.put(PciAddress.parse(address, FILE_NAME), vm));
      return new Snapshot(payload.generation(), map);
    } catch (JacksonException e) {
      throw corrupt("payload is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Replaces the file with {@code snapshot}; returns only once the change is durable. */
  public void write(Snapshot snapshot) {
    Map<String, String> out = new TreeMap<>();
    snapshot.reservations().forEach((a, vm) -> out.put(a.toString(), vm));
    byte[] payload = JSON.writeValueAsBytes(new Payload(snapshot.generation(), out));
    CRC32C crc = new CRC32C();
    crc.update(payload);
    byte[] header = String.format("%s crc32c=%08x length=%d%n", HEADER_PREFIX, crc.getValue(), payload.length)
        .getBytes(StandardCharsets.US_ASCII);
    try {
      try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(payload)});
        ch.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The rename lives in the directory: without this fsync a power loss could bring the old file back.
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new ReservationStoreException("cannot write reservations " + file + ": " + e.getMessage(), e);
    }
  }

  private ReservationStoreException corrupt(String why) {
    return new ReservationStoreException("reservation file " + file + " is corrupt (" + why
        + "); move it away to start with no reservations");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
