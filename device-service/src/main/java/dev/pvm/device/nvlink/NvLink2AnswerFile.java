package dev.pvm.device.nvlink;

import dev.pvm.device.host.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last NVLink2 region answers VFIO gave, per device ({@code nvlink2-regions.json} in the host's state
 * directory). A group that a running VM's engine holds cannot be opened again (EBUSY), so a device-service that
 * restarts under running VMs describes those devices from here rather than losing their regions.
 *
 * <p>A cache, not a record of truth: a missing or unreadable file is an empty one (logged), and it is rewritten
 * whole (temporary file, then rename) after every probe.
 */
public final class NvLink2AnswerFile {
  static final String FILE_NAME = "nvlink2-regions.json";
  private static final Logger log = LoggerFactory.getLogger(NvLink2AnswerFile.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What VFIO answered for one device's NVLink2 region. */
  public record Answer(long regionSize, long tgt, Integer linkSpeed, String backingPath, long backingOffset) {
    Optional<Integer> speed() {
      return Optional.ofNullable(linkSpeed);
    }
  }

  private record Payload(Map<String, Answer> devices) {}

  private final Path file;

  public NvLink2AnswerFile(Path directory) {
    this.file = directory.resolve(FILE_NAME);
  }

  public Path path() {
    return file;
  }

  /** The saved answers; empty when there are none or the file cannot be read. */
  public Map<PciAddress, Answer> load() {
    Map<PciAddress, Answer> answers = new TreeMap<>();
    if (!Files.exists(file)) {
      return answers;
    }
    try {
      Payload payload = JSON.readValue(Files.readAllBytes(file), Payload.class);
      if (payload.devices() != null) {
        payload.devices().forEach((address, a) -> answers.put(PciAddress.parse(address, FILE_NAME), a));
      }
    } catch (IOException | RuntimeException e) { // unreadable JSON, a bad address: start without answers
      log.warn("ignoring the last NVLink2 answers in {}: {}", file, e.getMessage());
      answers.clear();
    }
    return answers;
  }

  /** Replaces the file with {@code answers}; a failure is logged (the answers are only a cache). */
  public void save(Map<PciAddress, Answer> answers) {
    Map<String, Answer> out = new TreeMap<>();
    answers.forEach((a, answer) -> out.put(a.toString(), answer));
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.write(temporary, JSON.writeValueAsBytes(new Payload(out)));
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | JacksonException e) {
      log.warn("cannot save the NVLink2 answers to {}: {}", file, e.getMessage());
    }
  }
}
