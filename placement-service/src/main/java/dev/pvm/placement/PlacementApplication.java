package dev.pvm.placement;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** placement-service process entry: the layout computation behind a gRPC server. */
@SpringBootApplication
public class PlacementApplication {
  public static void main(String[] args) {
    SpringApplication.run(PlacementApplication.class, args);
  }
}
