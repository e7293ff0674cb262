package dev.pvm.device;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration under {@code pvm.device}.
 *
 * @param host {@code simulated} (default) or {@code sysfs} (the real host)
 * @param dataDir root of the service's files: {@code devices/<host>/} holds reservations and, for a simulated
 *     host, its sysfs tree and backing files
 */
@ConfigurationProperties("pvm.device")
public record DeviceProperties(
    @DefaultValue("simulated") HostMode host,
    String dataDir,
    @DefaultValue Simulated simulated,
    @DefaultValue Sysfs sysfs) {

  public enum HostMode {
    SIMULATED,
    SYSFS
  }

  /**
   * @param description a shipped description name (ac922-4gpu, ac922-6gpu, ac922-4gpu-32g, small-1gpu)
   * @param descriptionFile a YAML description to use instead; empty for none
   * @param atsdPollInterval how often the simulated NPU looks at the ATSD launch registers
   */
  public record Simulated(
      @DefaultValue("ac922-4gpu") String description,
      String descriptionFile,
      @DefaultValue("2ms") Duration atsdPollInterval) {}

  /** @param root the directory holding sys/ ("/" on a real host) */
  public record Sysfs(@DefaultValue("/") String root) {
    /** Plain file-system path (paths are bound as strings: Spring would read "/" as a resource location). */
    public Path rootPath() {
      return Path.of(root);
    }
  }

  public Path effectiveDataDir() {
    return dataDir != null && !dataDir.isBlank()
        ? Path.of(dataDir)
        : Path.of(System.getProperty("java.io.tmpdir"), "pvm");
  }
}
