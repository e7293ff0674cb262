package dev.pvm.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The numbers and struct layouts this library uses, checked against the kernel's own UAPI header
 * ({@code <linux/vfio.h>}) by the C compiler of each architecture the platform runs on: the host's gcc (x86-64)
 * and the ppc64le cross gcc (the POWER9 host's, with powerpc's _IO encoding). Every fact becomes a
 * {@code _Static_assert}; the header, not this project, decides. CI installs both compilers (.ci/run).
 */
class VfioUapiConformanceTest {

  @TempDir Path dir;

  private final List<String> facts = new ArrayList<>();

  private void equal(String c, long java) {
    facts.add(String.format("_Static_assert((unsigned long long)(%s) == %dULL, \"%s is %d in this library\");",
        c, java, c.replace("\"", "'"), java));
  }

  private void offset(String struct, String member, int java) {
    equal("offsetof(struct " + struct + ", " + member + ")", java);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gcc, GENERIC", "powerpc64le-linux-gnu-gcc, POWERPC"})
  void numbersAndLayoutsMatchTheKernelHeader(String compiler, IoctlEncoding encoding) throws Exception {
    equal("VFIO_API_VERSION", Vfio.API_VERSION);
    equal("VFIO_TYPE1_IOMMU", Vfio.TYPE1_IOMMU);
    equal("VFIO_SPAPR_TCE_IOMMU", Vfio.SPAPR_TCE_IOMMU);
    equal("VFIO_TYPE1v2_IOMMU", Vfio.TYPE1v2_IOMMU);
    equal("VFIO_SPAPR_TCE_v2_IOMMU", Vfio.SPAPR_TCE_v2_IOMMU);
    equal("VFIO_GROUP_FLAGS_VIABLE", Vfio.GROUP_FLAGS_VIABLE);
    equal("VFIO_GROUP_FLAGS_CONTAINER_SET", Vfio.GROUP_FLAGS_CONTAINER_SET);
    equal("VFIO_DEVICE_FLAGS_PCI", Vfio.DEVICE_FLAGS_PCI);
    equal("VFIO_REGION_INFO_FLAG_READ", Vfio.REGION_INFO_FLAG_READ);
    equal("VFIO_REGION_INFO_FLAG_WRITE", Vfio.REGION_INFO_FLAG_WRITE);
    equal("VFIO_REGION_INFO_FLAG_MMAP", Vfio.REGION_INFO_FLAG_MMAP);
    equal("VFIO_REGION_INFO_FLAG_CAPS", Vfio.REGION_INFO_FLAG_CAPS);
    equal("VFIO_REGION_INFO_CAP_TYPE", Vfio.REGION_INFO_CAP_TYPE);
    equal("VFIO_REGION_INFO_CAP_NVLINK2_SSATGT", Vfio.REGION_INFO_CAP_NVLINK2_SSATGT);
    equal("VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD", Vfio.REGION_INFO_CAP_NVLINK2_LNKSPD);
    equal("(__u32)(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x10de)", Integer.toUnsignedLong(Vfio.REGION_TYPE_NVIDIA_NVLINK2));
    equal("(__u32)(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x1014)", Integer.toUnsignedLong(Vfio.REGION_TYPE_IBM_NVLINK2));
    equal("VFIO_REGION_SUBTYPE_NVIDIA_NVLINK2_RAM", Vfio.REGION_SUBTYPE_NVIDIA_NVLINK2_RAM);
    equal("VFIO_REGION_SUBTYPE_IBM_NVLINK2_ATSD", Vfio.REGION_SUBTYPE_IBM_NVLINK2_ATSD);
    equal("VFIO_PCI_CONFIG_REGION_INDEX", Vfio.PCI_CONFIG_REGION_INDEX);
    equal("VFIO_PCI_NUM_REGIONS", Vfio.PCI_NUM_REGIONS);
    for (VfioIoctl ioctl : VfioIoctl.values()) {
      equal("VFIO_" + ioctl.name(), Integer.toUnsignedLong(ioctl.number(encoding)));
    }
    equal("sizeof(struct vfio_info_cap_header)", Vfio.CAP_HEADER_SIZE);
    offset("vfio_info_cap_header", "version", 2);
    offset("vfio_info_cap_header", "next", 4);
    equal("sizeof(struct vfio_region_info)", Vfio.REGION_INFO_SIZE);
    offset("vfio_region_info", "flags", 4);
    offset("vfio_region_info", "index", 8);
    offset("vfio_region_info", "cap_offset", 12);
    offset("vfio_region_info", "size", 16);
    offset("vfio_region_info", "offset", 24);
    equal("sizeof(struct vfio_region_info_cap_type)", Vfio.REGION_CAP_SIZE);
    offset("vfio_region_info_cap_type", "type", 8);
    offset("vfio_region_info_cap_type", "subtype", 12);
    equal("sizeof(struct vfio_region_info_cap_nvlink2_ssatgt)", Vfio.REGION_CAP_SIZE);
    offset("vfio_region_info_cap_nvlink2_ssatgt", "tgt", 8);
    equal("sizeof(struct vfio_region_info_cap_nvlink2_lnkspd)", Vfio.REGION_CAP_SIZE);
    offset("vfio_region_info_cap_nvlink2_lnkspd", "link_speed", 8);
    equal("sizeof(struct vfio_group_status)", Vfio.GROUP_STATUS_SIZE);
    offset("vfio_device_info", "flags", 4);
    offset("vfio_device_info", "num_regions", 8);
    offset("vfio_device_info", "num_irqs", 12);

    Path source = dir.resolve("uapi.c");
    Files.writeString(source, "#include <stddef.h>\n#include <linux/vfio.h>\n" + String.join("\n", facts) + "\n");
    Process gcc = new ProcessBuilder(compiler, "-std=c11", "-fsyntax-only", source.toString())
        .redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as("%s against its <linux/vfio.h>:%n%s", compiler, output).isZero();
    assertThat(facts).hasSizeGreaterThan(VfioIoctl.values().length + 30);
  }
}
