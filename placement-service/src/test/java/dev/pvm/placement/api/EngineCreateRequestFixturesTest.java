package dev.pvm.placement.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.ComputeLayoutResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's NVLink2 test inputs (vm-engine/src/test/resources/nvlink2/*.create.txtpb): Create requests whose
 * layout is what this service computes for an AC922-like simulated host (ac922-4gpu: four V100 16 GB with three
 * links each, NPU domains 0007 and 0008) over two vPHBs, so the engine's golden trees rest on placement's real
 * answer. Regenerate with {@code -Dgolden.update=true} after a layout change, then regenerate the engine's
 * golden trees.
 */
class EngineCreateRequestFixturesTest {

  private static final Path FIXTURES = Path.of("../vm-engine/src/test/resources/nvlink2");
  /** Where the engine test puts the simulated backing files (it rewrites this prefix). */
  static final String DATA_DIR = "/pvm-data/devices/ac922-4gpu/backing/";
  private static final long GPU_RAM = 16L << 30;

  /** One GPU of ac922-4gpu: its address, tgt (skiboot's compression of ram-base), bridges and link indexes. */
  private record Gpu(String address, long tgt, String npuDomain, int nthOnNpu, int firstLink) {}

  private static final List<Gpu> GPUS = List.of(
      new Gpu("0004:04:00.0", 0x0c0000000000L, "0007", 0, 0),
      new Gpu("0005:04:00.0", 0x0c2000000000L, "0007", 1, 3),
      new Gpu("0035:03:00.0", 0x2c0000000000L, "0008", 0, 0),
      new Gpu("0036:03:00.0", 0x2c2000000000L, "0008", 1, 3));

  /**
   * @param sharedGroups one IOMMU group per vPHB (both GPUs and their bridges), else one per GPU as device-service
   *     reports ac922-4gpu (two groups per vPHB: no ATSD)
   */
  static CreateRequest request(String machine, boolean sharedGroups) {
    VmSpec.Builder spec = VmSpec.newBuilder().setName("gpu-vm").setMachine(machine).setVcpus(2).setMemoryMib(512)
        .setBoot(BootSpec.newBuilder().setBuiltin("hello"));
    List<HostPciDevice> devices = new ArrayList<>();
    for (int phb = 0; phb < 2; phb++) {
      PhbSpec.Builder phbSpec = PhbSpec.newBuilder().setIndex(phb + 1);
      for (int k = 0; k < 2; k++) {
        int g = 2 * phb + k;
        Gpu gpu = GPUS.get(g);
        int group = sharedGroups ? phb : g;
        for (int link = 0; link < 3; link++) {
          String address = String.format("%s:00:%02x.%d", gpu.npuDomain(), gpu.nthOnNpu(), link);
          phbSpec.addDevices(address);
          // Guest slot k holds the GPU's three links as functions 0-2, as the host NPU numbers them.
          devices.add(HostPciDevice.newBuilder().setAddress(address).setVendorId(0x1014).setDeviceId(0x04ea)
              .setClassCode(0x068000).setRevision(1).setMultifunction(true).setNumaNode(phb == 0 ? 0 : 8)
              .setDriver("vfio-pci").setIommuGroup(group).setKind(DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE)
              .setNvlink2(NvLink2Info.newBuilder().setTgt(gpu.tgt()).setAtsdSize(0x10000).setLinkSpeed(9)
                  .setLinkIndex(gpu.firstLink() + link).setBackingPath(DATA_DIR + address + ".atsd"))
              .setGuestDevfn(k << 3 | link).build());
        }
        phbSpec.addDevices(gpu.address());
        devices.add(HostPciDevice.newBuilder().setAddress(gpu.address()).setVendorId(0x10de).setDeviceId(0x1db1)
            .setClassCode(0x030200).setRevision(0xa1).setNumaNode(phb == 0 ? 0 : 8).setDriver("vfio-pci")
            .setIommuGroup(group).setKind(DeviceKind.DEVICE_KIND_NVLINK2_GPU)
            .setNvlink2(NvLink2Info.newBuilder().setTgt(gpu.tgt()).setGpuRamSize(GPU_RAM)
                .setBackingPath(DATA_DIR + gpu.address() + ".gpu-ram"))
            .setGuestDevfn((4 + k) << 3).build());
      }
      spec.addPhbs(phbSpec);
    }
    return engineRequest(ComputeLayoutRequest.newBuilder().setSpec(spec).addAllDevices(devices).build());
  }

  /** Spec section 13's vPHB 1 (PlacementGrpcServiceTest's request) with backing files and something to boot. */
  static CreateRequest section13(String machine) {
    ComputeLayoutRequest.Builder compute = PlacementGrpcServiceTest.section13(machine).toBuilder();
    compute.getSpecBuilder().setMemoryMib(512).setBoot(BootSpec.newBuilder().setBuiltin("hello"));
    for (HostPciDevice.Builder d : compute.getDevicesBuilderList()) {
      d.getNvlink2Builder().setBackingPath(DATA_DIR + d.getAddress()
          + (d.getKind() == DeviceKind.DEVICE_KIND_NVLINK2_GPU ? ".gpu-ram" : ".atsd"));
    }
    return engineRequest(compute.build());
  }

  private static CreateRequest engineRequest(ComputeLayoutRequest compute) {
    List<ComputeLayoutResponse> answers = new ArrayList<>();
    new PlacementGrpcService(MachineTypeCatalog.standard()).computeLayout(compute, new StreamObserver<>() {
      @Override
      public void onNext(ComputeLayoutResponse value) {
        answers.add(value);
      }

      @Override
      public void onError(Throwable t) {
        throw new AssertionError(t);
      }

      @Override
      public void onCompleted() {}
    });
    return CreateRequest.newBuilder().setVmId("gpu-vm").setSpec(compute.getSpec())
        .setLayout(answers.getFirst().getLayout()).addAllDevices(compute.getDevicesList()).build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ac922-2phb-shared-groups-pseries-4.1, pseries-4.1, true",
    "ac922-2phb-two-groups-pseries-4.1, pseries-4.1, false",
    "ac922-2phb-shared-groups-pseries-4.0, pseries-4.0, true",
    "spec13-pseries-4.1, pseries-4.1, true"
  })
  void fixturesAreWhatPlacementComputes(String name, String machine, boolean shared) throws IOException {
    CreateRequest request = name.startsWith("spec13") ? section13(machine) : request(machine, shared);
    String text = TextFormat.printer().printToString(request);
    Path file = FIXTURES.resolve(name + ".create.txtpb");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(FIXTURES);
      Files.writeString(file, text);
    }
    assertThat(Files.exists(file)).as(file + " is missing; run with -Dgolden.update=true").isTrue();
    assertThat(text).as("%s differs from placement's answer; regenerate with -Dgolden.update=true", file)
        .isEqualTo(Files.readString(file));
  }
}
