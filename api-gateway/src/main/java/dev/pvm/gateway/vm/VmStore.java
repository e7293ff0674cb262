package dev.pvm.gateway.vm;

import dev.pvm.gateway.problem.VmConflictException;
import dev.pvm.gateway.problem.VmNotFoundException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The VM records: each method is one transaction, so every state change is durable when it returns. */
@Service
public class VmStore {

    private final VmRepository repository;
    private final Clock clock;

    public VmStore(VmRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Transactional
    public VmRecord create(VmDefinition definition) {
        if (repository.existsByName(definition.name())) {
            throw duplicateName(definition.name());
        }
        try {
            return repository.saveAndFlush(new VmRecord(UUID.randomUUID(), definition, clock.instant()));
        } catch (DataIntegrityViolationException e) {
            // Two concurrent creates with the same name: the unique constraint decides.
            throw duplicateName(definition.name());
        }
    }

    @Transactional(readOnly = true)
    public VmRecord get(UUID id) {
        return repository.findById(id).orElseThrow(() -> new VmNotFoundException(id));
    }

    @Transactional(readOnly = true)
    public List<VmRecord> list() {
        return repository.findAllByOrderByCreatedAtAsc();
    }

    @Transactional(readOnly = true)
    public List<VmRecord> withEngine() {
        return repository.findByStateIn(EnumSet.of(VmState.STARTING, VmState.RUNNING, VmState.PAUSED));
    }

    @Transactional
    public VmRecord changeState(UUID id, VmState state, String reason) {
        VmRecord vm = get(id);
        vm.changeState(state, reason, clock.instant());
        if (!state.hasEngine()) {
            vm.recordEnginePid(null);
        }
        return repository.save(vm);
    }

    @Transactional
    public VmRecord placeGpus(UUID id, List<GpuPlacement> gpus) {
        VmRecord vm = get(id);
        vm.placeGpus(gpus, clock.instant());
        return repository.save(vm);
    }

    @Transactional
    public void recordEnginePid(UUID id, Long pid) {
        VmRecord vm = get(id);
        vm.recordEnginePid(pid);
        repository.save(vm);
    }

    @Transactional
    public void delete(UUID id) {
        repository.delete(get(id));
    }

    private static VmConflictException duplicateName(String name) {
        return new VmConflictException("name", "a VM named '" + name + "' already exists");
    }
}
