package dev.pvm.device.plugin;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The kubelet device plugin (prefix {@code pvm.device.plugin}): off unless {@code enabled}; the device-service
 * DaemonSet turns it on, {@code ./pvm up} leaves it off (there is no kubelet).
 *
 * @param enabled whether to serve the device-plugin API and register with the kubelet
 * @param socketDirectory the kubelet's device-plugin directory: the kubelet listens on {@code kubelet.sock} there,
 *     and the plugin's own socket goes next to it (the kubelet joins the registered endpoint name to it)
 * @param resourceName the extended resource the GPUs are counted as (one unit per NVLink2 GPU)
 * @param endpoint the plugin's socket file name in {@code socketDirectory}
 * @param vfioDirectory where the host's VFIO group device nodes are ({@code /dev/vfio}); handed to containers on
 *     a VFIO host (sysfs mode), not on a simulated one, which has no device nodes
 * @param hostDataDirectory the host path of {@code pvm.device.data-dir} when this process sees it at another path
 *     (a container whose hostPath volume is mounted elsewhere); blank means the same path, which is how the
 *     DaemonSet mounts it. Mounts handed to the kubelet name host paths.
 * @param watchInterval how often the plugin checks that the kubelet's socket is the one it registered with (a
 *     kubelet restart recreates it and removes every plugin socket) and that its own socket is still there
 * @param healthInterval how often the GPUs' health is re-read from sysfs
 */
@ConfigurationProperties("pvm.device.plugin")
public record DevicePluginProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("/var/lib/kubelet/device-plugins") String socketDirectory,
    @DefaultValue("pvm.dev/nvlink2-gpu") String resourceName,
    @DefaultValue("pvm-nvlink2-gpu.sock") String endpoint,
    @DefaultValue("/dev/vfio") String vfioDirectory,
    String hostDataDirectory,
    @DefaultValue("1s") Duration watchInterval,
    @DefaultValue("10s") Duration healthInterval) {

  /** Extended resource names are "domain/name" (Kubernetes: a fully qualified name outside kubernetes.io). */
  private static final java.util.regex.Pattern RESOURCE_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  public DevicePluginProperties {
    if (!RESOURCE_NAME.matcher(resourceName).matches() || resourceName.startsWith("kubernetes.io/")) {
      throw new IllegalArgumentException("pvm.device.plugin.resource-name must be an extended resource name "
          + "<domain>/<name> outside kubernetes.io, e.g. pvm.dev/nvlink2-gpu; got '" + resourceName + "'");
    }
    if (endpoint.isBlank() || endpoint.contains("/")) {
      throw new IllegalArgumentException("pvm.device.plugin.endpoint must be a socket file name without '/' "
          + "(the kubelet joins it to its device-plugin directory); got '" + endpoint + "'");
    }
    if (watchInterval.isNegative() || watchInterval.isZero() || healthInterval.isNegative()
        || healthInterval.isZero()) {
      throw new IllegalArgumentException("pvm.device.plugin.watch-interval and health-interval must be positive");
    }
  }

  public Path socketDirectoryPath() {
    return Path.of(socketDirectory);
  }

  public Path kubeletSocket() {
    return socketDirectoryPath().resolve("kubelet.sock");
  }

  public Path pluginSocket() {
    return socketDirectoryPath().resolve(endpoint);
  }
}
