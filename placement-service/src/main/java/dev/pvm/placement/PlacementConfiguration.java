package dev.pvm.placement;

import dev.pvm.placement.machine.MachineTypeCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the layout computation into the Spring application. */
@Configuration(proxyBeanMethods = false)
public class PlacementConfiguration {

  @Bean
  MachineTypeCatalog machineTypeCatalog() {
    return MachineTypeCatalog.standard();
  }
}
