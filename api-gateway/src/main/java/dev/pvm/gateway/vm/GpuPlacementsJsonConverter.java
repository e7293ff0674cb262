package dev.pvm.gateway.vm;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores the GPU placements of a VM's run as JSON text in one column. */
@Converter
public class GpuPlacementsJsonConverter implements AttributeConverter<List<GpuPlacement>, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<GpuPlacement>> LIST = new TypeReference<>() {};

    @Override
    public String convertToDatabaseColumn(List<GpuPlacement> placements) {
        return placements == null || placements.isEmpty() ? null : JSON.writeValueAsString(placements);
    }

    @Override
    public List<GpuPlacement> convertToEntityAttribute(String json) {
        return json == null ? List.of() : JSON.readValue(json, LIST);
    }
}
