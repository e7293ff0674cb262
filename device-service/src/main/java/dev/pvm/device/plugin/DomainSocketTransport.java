package dev.pvm.device.plugin;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over unix domain sockets, as the kubelet's device-plugin API runs: grpc-java's Netty transport on Netty's
 * native epoll domain-socket channels (Linux only). One event-loop group serves the plugin's server and its calls
 * to the kubelet.
 */
public final class DomainSocketTransport implements AutoCloseable {
  private final EventLoopGroup group;

  public DomainSocketTransport() {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("the kubelet device plugin needs Netty's native epoll transport (Linux, "
          + "x86-64) for unix sockets: " + Epoll.unavailabilityCause());
    }
    group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
  }

  /** Starts a server listening on {@code socket} (which must not exist). */
  public Server serve(Path socket, BindableService... services) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(group)
        .workerEventLoopGroup(group);
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      return builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + socket + ": " + e.getMessage(), e);
    }
  }

  /** A plaintext channel to the server listening on {@code socket} (the kubelet's sockets carry no TLS). */
  public ManagedChannel dial(Path socket) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .usePlaintext()
        .build();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
