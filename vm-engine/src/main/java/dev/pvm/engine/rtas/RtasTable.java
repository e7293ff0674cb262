package dev.pvm.engine.rtas;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The machine's RTAS services: dispatch of the H_RTAS hypercall by token, and the source of the /rtas node's
 * token properties (only registered services are advertised, so every advertised token has a handler).
 */
public final class RtasTable {

    /** QEMU/KVM's private hypercall that the RTAS entry stub makes ({@code KVMPPC_H_RTAS}). */
    public static final long H_RTAS = 0xf000;

    private static final System.Logger LOG = System.getLogger(RtasTable.class.getName());

    private final GuestMemory memory;
    private final Map<RtasService, RtasHandler> handlers = new EnumMap<>(RtasService.class);
    private final Set<Integer> reportedUnknown = ConcurrentHashMap.newKeySet();

    public RtasTable(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * @throws IllegalArgumentException when the service is already registered
     */
    public void register(RtasService service, RtasHandler handler) {
        if (handlers.putIfAbsent(service, handler) != null) {
            throw new IllegalArgumentException("RTAS service " + service.propertyName() + " registered twice");
        }
    }

    /**
     * H_RTAS: r4 holds the real address of the argument buffer. An unknown token gets status -3 and
     * H_PARAMETER, as on QEMU.
     */
    public HcallStatus hcall(CpuState cpu) {
        long buffer = cpu.gpr[4] & CpuState.REAL_MODE_ADDRESS_MASK;
        try {
            RtasCall call = new RtasCall(memory, buffer);
            RtasHandler handler = null;
            for (Map.Entry<RtasService, RtasHandler> e : handlers.entrySet()) {
                if (e.getKey().token() == call.token()) {
                    handler = e.getValue();
                }
            }
            if (handler == null) {
                if (reportedUnknown.add(call.token())) {
                    LOG.log(System.Logger.Level.WARNING, String.format("guest called unknown RTAS token 0x%x "
                            + "(reported once)", call.token()));
                }
                call.status(RtasStatus.PARAMETER_ERROR);
                return HcallStatus.H_PARAMETER;
            }
            handler.call(call);
            return HcallStatus.H_SUCCESS;
        } catch (GuestMemoryAccessException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, String.format("bad RTAS call buffer at 0x%x: %s", buffer,
                    e.getMessage()));
            return HcallStatus.H_PARAMETER;
        }
    }

    /** Registered services by property name with their tokens, in token order (for the /rtas node). */
    public Map<String, Integer> tokens() {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (RtasService s : handlers.keySet()) {
            result.put(s.propertyName(), s.token());
        }
        return Collections.unmodifiableMap(result);
    }

    public boolean isRegistered(RtasService service) {
        return handlers.containsKey(service);
    }
}
