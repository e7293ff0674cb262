package dev.pvm.gateway.supervise;

import io.grpc.ManagedChannel;

/** An engine that is up: the channel to its VmEngine service and the process behind it. */
public record LaunchedEngine(ManagedChannel channel, EngineProcess process) {}
