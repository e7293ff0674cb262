package dev.pvm.vfio;

import java.util.List;
import java.util.Optional;

/** A parsed VFIO_DEVICE_GET_REGION_INFO answer: struct vfio_region_info and its capabilities in chain order. */
public record RegionInfo(
    int argsz, int flags, int index, int capOffset, long size, long offset, List<RegionCapability> capabilities) {

  public RegionInfo {
    capabilities = List.copyOf(capabilities);
  }

  public boolean mappable() {
    return (flags & Vfio.REGION_INFO_FLAG_MMAP) != 0;
  }

  public Optional<RegionCapability.Type> type() {
    return capability(RegionCapability.Type.class);
  }

  public boolean isType(int type, int subtype) {
    return type().filter(t -> t.type() == type && t.subtype() == subtype).isPresent();
  }

  public <C extends RegionCapability> Optional<C> capability(Class<C> kind) {
    return capabilities.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }
}
