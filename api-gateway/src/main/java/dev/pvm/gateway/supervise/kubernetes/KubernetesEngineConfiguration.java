package dev.pvm.gateway.supervise.kubernetes;

import dev.pvm.gateway.config.GatewayProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kubernetes mode ({@code pvm.engine.launcher=kubernetes}): engines as pods. The client configures itself the
 * usual way: in a pod from its service account, elsewhere from ~/.kube/config or KUBECONFIG.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pvm.engine.launcher", havingValue = "kubernetes")
@EnableConfigurationProperties(KubernetesEngineProperties.class)
public class KubernetesEngineConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    EnginePodTemplate enginePodTemplate(KubernetesEngineProperties kubernetes, GatewayProperties gateway) {
        return new EnginePodTemplate(kubernetes, gateway.engine().jvmOptions(),
                gateway.engine().stopTimeout().toSeconds());
    }

    @Bean(destroyMethod = "close")
    KubernetesEngineLauncher kubernetesEngineLauncher(KubernetesClient client, KubernetesEngineProperties kubernetes,
            EnginePodTemplate template) {
        return new KubernetesEngineLauncher(client, kubernetes, template);
    }
}
