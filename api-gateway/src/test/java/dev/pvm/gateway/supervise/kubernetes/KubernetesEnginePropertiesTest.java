package dev.pvm.gateway.supervise.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.gateway.config.GatewayProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Settings that would make engine pods fail later are refused when the gateway starts, naming the setting. */
class KubernetesEnginePropertiesTest {

    private static KubernetesEngineProperties with(String image, DataSize overhead, DataSize heap, String ownerName,
            String ownerUid) {
        return new KubernetesEngineProperties(" ", image, "IfNotPresent", 9095, overhead, heap, Duration.ofMinutes(5),
                "pvm-engine", "pvm.dev/nvlink2-gpu", null, Map.of(), ownerName, ownerUid);
    }

    @Test
    void anImageMustBePinnedByTagOrDigest() {
        assertThat(KubernetesEngineProperties.hasTagOrDigest("pvm/vm-engine:0.1.0-SNAPSHOT")).isTrue();
        assertThat(KubernetesEngineProperties.hasTagOrDigest("registry:5000/pvm/vm-engine:1")).isTrue();
        assertThat(KubernetesEngineProperties.hasTagOrDigest("pvm/vm-engine@sha256:" + "0".repeat(64))).isTrue();
        assertThat(KubernetesEngineProperties.hasTagOrDigest("registry:5000/pvm/vm-engine")).isFalse();
        assertThat(KubernetesEngineProperties.hasTagOrDigest("pvm/vm-engine:")).isFalse();
        assertThatThrownBy(() -> with("pvm/vm-engine", DataSize.ofMegabytes(512), DataSize.ofMegabytes(256), null,
                null))
                .hasMessageContaining("pvm.engine.kubernetes.image (PVM_ENGINE_IMAGE) must name the vm-engine image "
                        + "with a tag or digest");
    }

    @Test
    void theHeapMustLeaveRoomInTheOverhead() {
        assertThatThrownBy(() -> with("pvm/vm-engine:1", DataSize.ofMegabytes(256), DataSize.ofMegabytes(256), null,
                null))
                .hasMessageContaining("pvm.engine.kubernetes.heap (256MB) must be at least 16MB and less than "
                        + "memory-overhead (256MB)");
    }

    @Test
    void anOwnerNeedsBothNameAndUidAndBlanksMeanUnset() {
        assertThatThrownBy(() -> with("pvm/vm-engine:1", DataSize.ofMegabytes(512), DataSize.ofMegabytes(256),
                "api-gateway-0", " "))
                .hasMessageContaining("owner-pod-name and owner-pod-uid (POD_NAME, POD_UID) go together");
        KubernetesEngineProperties unset = with("pvm/vm-engine:1", DataSize.ofMegabytes(512),
                DataSize.ofMegabytes(256), "", "");
        assertThat(unset.ownerPodName()).isNull();
        assertThat(unset.namespace()).isNull();
    }

    @Test
    void anUnknownLauncherIsRefusedWithTheValidOnes() {
        assertThatThrownBy(() -> new GatewayProperties.Engine("k8s", null, null, List.of(), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(60), List.of()))
                .hasMessage("pvm.engine.launcher (PVM_ENGINE_LAUNCHER) must be one of [local, kubernetes], not 'k8s'");
    }
}
