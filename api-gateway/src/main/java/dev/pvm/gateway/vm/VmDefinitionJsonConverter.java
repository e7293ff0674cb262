package dev.pvm.gateway.vm;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.databind.json.JsonMapper;

/** Stores a {@link VmDefinition} as JSON text in one column. */
@Converter
public class VmDefinitionJsonConverter implements AttributeConverter<VmDefinition, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String convertToDatabaseColumn(VmDefinition definition) {
        return JSON.writeValueAsString(definition);
    }

    @Override
    public VmDefinition convertToEntityAttribute(String json) {
        return JSON.readValue(json, VmDefinition.class);
    }
}
