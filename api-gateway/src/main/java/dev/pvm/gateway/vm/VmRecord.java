package dev.pvm.gateway.vm;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A VM as stored: its definition (as JSON, so that the schema does not change with every definition field), its
 * last known state, the GPU placement of its current or last run, and the engine process that runs it.
 */
@Entity
@Table(name = "vm")
public class VmRecord {

    @Id
    private UUID id;

    @Column(nullable = false, unique = true, length = 63)
    private String name;

    @Convert(converter = VmDefinitionJsonConverter.class)
    @Column(name = "definition_json", nullable = false)
    private VmDefinition definition;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private VmState state;

    @Column(name = "state_reason", length = 8000)
    private String stateReason;

    @Convert(converter = GpuPlacementsJsonConverter.class)
    @Column(name = "gpus_json")
    private List<GpuPlacement> gpus;

    /** Process id of the local engine while one runs, so that a restarted gateway can find an orphan. */
    @Column(name = "engine_pid")
    private Long enginePid;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected VmRecord() {
        // for JPA
    }

    public VmRecord(UUID id, VmDefinition definition, Instant now) {
        this.id = id;
        this.name = definition.name();
        this.definition = definition;
        this.state = VmState.DEFINED;
        this.gpus = List.of();
        this.createdAt = now;
        this.updatedAt = now;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public VmDefinition definition() {
        return definition;
    }

    public VmState state() {
        return state;
    }

    public String stateReason() {
        return stateReason;
    }

    public List<GpuPlacement> gpus() {
        return gpus == null ? List.of() : gpus;
    }

    public Long enginePid() {
        return enginePid;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    void changeState(VmState newState, String reason, Instant now) {
        this.state = newState;
        this.stateReason = reason == null || reason.isEmpty() ? null : truncate(reason);
        this.updatedAt = now;
    }

    void placeGpus(List<GpuPlacement> placements, Instant now) {
        this.gpus = List.copyOf(placements);
        this.updatedAt = now;
    }

    void recordEnginePid(Long pid) {
        this.enginePid = pid;
    }

    private static String truncate(String reason) {
        // The column holds 8000 characters; a log tail can be longer, and its end matters most.
        return reason.length() <= 8000 ? reason : "..." + reason.substring(reason.length() - 7997);
    }
}
