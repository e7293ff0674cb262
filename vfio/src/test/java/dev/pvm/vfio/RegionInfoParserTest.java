package dev.pvm.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RegionInfoParserTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * The V100 GPU RAM answer of spec 8.4 after the retry, little-endian, written out byte by byte:
   * argsz 64, flags 0xf, index 9, cap_offset 32, size 16 GiB, offset 0x90000000000;
   * @32 {id 2, ver 1, next 48} type 0x800010de subtype 1; @48 {id 4, ver 1, next 0} tgt 0xc0000000000.
   */
  private static final String GPU_ANSWER =
      "40000000" + "0f000000" + "09000000" + "20000000" + "0000000004000000" + "0000000000090000"
          + "0200" + "0100" + "30000000" + "de100080" + "01000000"
          + "0400" + "0100" + "00000000" + "00000000000c0000";

  /** The bridge answer: argsz 80, size 64 KiB, CAP_TYPE 0x80001014/1, SSATGT, LNKSPD 9. */
  private static final String BRIDGE_ANSWER =
      "50000000" + "0f000000" + "09000000" + "20000000" + "0000010000000000" + "0000000000090000"
          + "0200" + "0100" + "30000000" + "14100080" + "01000000"
          + "0400" + "0100" + "40000000" + "00000000000c0000"
          + "0500" + "0100" + "00000000" + "09000000" + "00000000";

  @Test
  void parsesTheGpuRamAnswer() {
    RegionInfo info = RegionInfoParser.parse(HEX.parseHex(GPU_ANSWER), ByteOrder.LITTLE_ENDIAN);
    assertThat(info.argsz()).isEqualTo(64);
    assertThat(info.flags()).isEqualTo(0xf);
    assertThat(info.index()).isEqualTo(9);
    assertThat(info.size()).isEqualTo(16L << 30);
    assertThat(info.offset()).isEqualTo(0x90000000000L);
    assertThat(info.isType(Vfio.REGION_TYPE_NVIDIA_NVLINK2, Vfio.REGION_SUBTYPE_NVIDIA_NVLINK2_RAM)).isTrue();
    assertThat(info.capability(RegionCapability.Ssatgt.class)).contains(new RegionCapability.Ssatgt(1, 0xc0000000000L));
    assertThat(info.capability(RegionCapability.Lnkspd.class)).isEmpty();
  }

  @Test
  void parsesTheBridgeAnswerInChainOrder() {
    RegionInfo info = RegionInfoParser.parse(HEX.parseHex(BRIDGE_ANSWER), ByteOrder.LITTLE_ENDIAN);
    assertThat(info.size()).isEqualTo(0x10000);
    assertThat(info.capabilities()).containsExactly(
        new RegionCapability.Type(1, 0x80001014, 1),
        new RegionCapability.Ssatgt(1, 0xc0000000000L),
        new RegionCapability.Lnkspd(1, 9));
  }

  @Test
  void firstCallAnswerWithoutCapsHasNoCapabilities() {
    // argsz 32 call: the kernel raised argsz to 64 and left cap_offset 0; the caller retries (VfioDevice).
    byte[] first = HEX.parseHex(GPU_ANSWER.substring(0, 2 * 32));
    ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 32).putInt(12, 0);
    RegionInfo info = RegionInfoParser.parse(first, ByteOrder.LITTLE_ENDIAN);
    assertThat(info.capabilities()).isEmpty();
    assertThat(info.flags() & Vfio.REGION_INFO_FLAG_CAPS).isNotZero();
  }

  @Test
  void bigEndianHostsReadTheSameValues() {
    ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0, 48).putInt(4, Vfio.REGION_INFO_FLAG_CAPS).putInt(8, 9).putInt(12, 32).putLong(16, 1 << 16);
    b.putShort(32, (short) 5).putShort(34, (short) 1).putInt(36, 0).putInt(40, 9);
    RegionInfo info = RegionInfoParser.parse(b.array(), ByteOrder.BIG_ENDIAN);
    assertThat(info.capabilities()).containsExactly(new RegionCapability.Lnkspd(1, 9));
  }

  @Test
  void rejectsALoopingChain() {
    byte[] answer = HEX.parseHex(BRIDGE_ANSWER);
    le(answer).putInt(64 + 4, 32); // LNKSPD.next -> back to CAP_TYPE
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("loop");
  }

  @Test
  void rejectsACapabilityPointingAtItself() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(48 + 4, 48);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("loop");
  }

  @Test
  void rejectsNextOutsideTheBuffer() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(32 + 4, 4096);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("4096").hasMessageContaining("outside");
  }

  @Test
  void rejectsANegativeNext() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(32 + 4, -8);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void rejectsCapOffsetInsideTheFixedStruct() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(12, 8);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("cap_offset 8");
  }

  @Test
  void rejectsACapabilityCutShortByArgsz() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(0, 56); // SSATGT at 48 needs 16 bytes
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("needs 16 bytes");
  }

  @Test
  void rejectsShortArgsz() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(0, 16);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("argsz 16");
  }

  @Test
  void rejectsArgszBeyondTheBuffer() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putInt(0, 128);
    assertThatThrownBy(() -> RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void rejectsABufferShorterThanTheStruct() {
    assertThatThrownBy(() -> RegionInfoParser.parse(new byte[20], ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(RegionInfoFormatException.class)
        .hasMessageContaining("shorter than vfio_region_info");
  }

  @Test
  void keepsUnknownCapabilitiesWithoutInterpretingThem() {
    byte[] answer = HEX.parseHex(GPU_ANSWER);
    le(answer).putShort(48, (short) 3); // MSIX_MAPPABLE instead of SSATGT
    RegionInfo info = RegionInfoParser.parse(answer, ByteOrder.LITTLE_ENDIAN);
    assertThat(info.capabilities()).last().isEqualTo(new RegionCapability.Other(3, 1, 48));
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }
}
