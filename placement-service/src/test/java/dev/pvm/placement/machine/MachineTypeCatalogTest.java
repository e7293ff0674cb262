package dev.pvm.placement.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTypeCatalogTest {

  private final MachineTypeCatalog catalog = MachineTypeCatalog.standard();

  private MachineType type(String name) {
    return catalog.find(name).orElseThrow();
  }

  @Test
  void listsEveryVersionFrom27To81OldestFirst() {
    assertThat(catalog.all()).first().extracting(MachineType::name).isEqualTo("pseries-2.7");
    assertThat(catalog.all()).last().extracting(MachineType::name).isEqualTo("pseries-8.1");
    assertThat(catalog.all())
        .extracting(MachineType::name)
        .contains("pseries-2.12-sxxm", "pseries-4.0", "pseries-4.1", "pseries-5.2", "pseries-6.0", "pseries-7.2")
        .doesNotHaveDuplicates();
  }

  @Test
  void plainPseriesIsTheNewest() {
    assertThat(type("pseries")).isSameAs(type("pseries-8.1"));
    assertThat(catalog.knownNames()).contains("pseries", "pseries-2.7");
    assertThat(catalog.find("pseries-9.0")).isEmpty();
    assertThat(catalog.find("pseries-2.6")).isEmpty();
  }

  @Test
  void placementSchemeSwitchesAt28And41() {
    assertThat(type("pseries-2.7").phbPlacement()).isEqualTo(PhbPlacementScheme.LEGACY_2_7);
    assertThat(type("pseries-2.7").maxPhbIndex()).isEqualTo(255);
    assertThat(type("pseries-2.8").phbPlacement()).isEqualTo(PhbPlacementScheme.NVLINK2_DISABLED);
    assertThat(type("pseries-4.0").phbPlacement()).isEqualTo(PhbPlacementScheme.NVLINK2_DISABLED);
    assertThat(type("pseries-4.0").maxPhbIndex()).isEqualTo(30);
    assertThat(type("pseries-4.0").nvlink2()).isFalse();
    assertThat(type("pseries-4.1").nvlink2()).isTrue();
    assertThat(type("pseries-8.1").nvlink2()).isTrue();
  }

  @Test
  void numaFlagsFollowTheVersionsThatChangedThem() {
    assertThat(type("pseries-5.0").pre51Associativity()).isTrue();
    assertThat(type("pseries-5.1").pre51Associativity()).isFalse();
    assertThat(type("pseries-5.1").pre52NumaAssociativity()).isTrue();
    assertThat(type("pseries-5.2").pre52NumaAssociativity()).isFalse();
    assertThat(type("pseries-4.1").vsmt()).isEqualTo(8);
    assertThat(type("pseries-4.2").vsmt()).isEqualTo(1);
  }

  @Test
  void vcpuLimitsFollowQemuReleases() {
    assertThat(type("pseries-2.7").maxVcpus()).isEqualTo(255);
    assertThat(type("pseries-4.1").maxVcpus()).isEqualTo(1024);
    assertThat(type("pseries-6.0").maxVcpus()).isEqualTo(1024);
    assertThat(type("pseries-6.1").maxVcpus()).isEqualTo(4096);
  }
}
