package dev.pvm.device.simulated;

import dev.pvm.device.HostDescriptionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads host descriptions: the ones shipped under {@code hosts/} on the class path, or a YAML file. */
public final class HostDescriptionLoader {
  /** Descriptions shipped with the service. */
  public static final List<String> SHIPPED =
      List.of("ac922-4gpu", "ac922-6gpu", "ac922-4gpu-32g", "small-1gpu");

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .addModule(HexNumbers.module())
      .build();

  private HostDescriptionLoader() {}

  /** A shipped description by name. */
  public static HostDescription shipped(String name) {
    String resource = "/hosts/" + name + ".yaml";
    try (InputStream in = HostDescriptionLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new HostDescriptionException(
            "no simulated host description named \"" + name + "\"; shipped ones are " + SHIPPED
                + " (or set pvm.device.simulated.description-file to a YAML file)");
      }
      return parse(in.readAllBytes(), resource);
    } catch (IOException e) {
      throw new HostDescriptionException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  public static HostDescription file(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new HostDescriptionException("cannot read host description " + file + ": " + e.getMessage(), e);
    }
  }

  static HostDescription parse(byte[] yaml, String origin) {
    try {
      return MAPPER.readValue(yaml, HostDescription.class);
    } catch (JacksonException e) {
      throw new HostDescriptionException("host description " + origin + " is invalid: " + e.getOriginalMessage()
          + " at " + e.getPathReference(), e);
    }
  }
}
