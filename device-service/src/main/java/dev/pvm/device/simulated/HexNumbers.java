package dev.pvm.device.simulated;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Lets host descriptions write PCI ids, domains and addresses in hex ("0x10de"): the YAML 1.2 core schema the
 * parser follows reads 0x-numbers as strings, so Integer and Long fields accept decimal or 0x-hex text. (The
 * description records use boxed numbers so that a missing key is reported by name, not defaulted to 0.)
 */
final class HexNumbers {
  private HexNumbers() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("pvm-hex-numbers");
    module.addDeserializer(Integer.class, new IntDeserializer());
    module.addDeserializer(Long.class, new LongDeserializer());
    return module;
  }

  private static long decode(JsonParser p, DeserializationContext ctx, Class<?> type) {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    String text = p.getValueAsString();
    try {
      return Long.decode(text.trim().replace("_", ""));
    } catch (NumberFormatException | NullPointerException e) {
      return ((Number) ctx.handleWeirdStringValue(type, text, "not a decimal or 0x-hex number")).longValue();
    }
  }

  private static final class IntDeserializer extends StdDeserializer<Integer> {
    IntDeserializer() {
      super(Integer.class);
    }

    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctx) {
      long value = decode(p, ctx, Integer.class);
      if (value < Integer.MIN_VALUE || value > 0xffffffffL) {
        return (Integer) ctx.handleWeirdNumberValue(Integer.class, value, "does not fit 32 bits");
      }
      return (int) value;
    }
  }

  private static final class LongDeserializer extends StdDeserializer<Long> {
    LongDeserializer() {
      super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctx) {
      return decode(p, ctx, Long.class);
    }
  }
}
