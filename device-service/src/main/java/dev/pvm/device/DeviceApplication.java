package dev.pvm.device;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** device-service process entry: host discovery and reservations behind a gRPC server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeviceApplication {
  public static void main(String[] args) {
    SpringApplication.run(DeviceApplication.class, args);
  }
}
