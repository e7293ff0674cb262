package dev.pvm.gateway.vm;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** VM records by id and name. */
public interface VmRepository extends JpaRepository<VmRecord, UUID> {

    boolean existsByName(String name);

    List<VmRecord> findByStateIn(Collection<VmState> states);

    List<VmRecord> findAllByOrderByCreatedAtAsc();
}
