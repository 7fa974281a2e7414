package io.sensorcast.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFutureListener;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Peer: Netty 4.1 with NIO, the usual WebSocket pipeline on /ws, and a {@link ChannelGroup} of
 * upgraded channels; one producer thread calls {@code group.writeAndFlush} per sample. One event
 * loop thread for I/O, as the server is pinned to one core.
 */
public final class NettyPeer {

    /**
     * A failed group write (out of direct memory, for one) only fails its future; nothing is
     * logged. Print the first failure, so that the benchmark can say why the peer fell over.
     */
    private static final AtomicBoolean FAILURE_REPORTED = new AtomicBoolean();
    private static final ChannelGroupFutureListener WRITE_FAILURES = f -> {
        if (!f.isSuccess() && FAILURE_REPORTED.compareAndSet(false, true)) {
            for (Map.Entry<Channel, Throwable> e : f.cause()) {
                System.err.println("netty peer: a group write failed: " + e.getValue());
                break;
            }
        }
    };

    private NettyPeer() {}

    public static void main(String[] args) throws InterruptedException {
        PeerArgs a = PeerArgs.parse(args);
        ChannelGroup monitors = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(1);
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"),
                                new JoinGroupOnUpgrade(monitors));
                    }
                })
                .bind("127.0.0.1", a.port()).sync().channel();
        System.out.println("netty peer listening on " + server.localAddress());
        new SampleProducer(a.rate(), json -> monitors.writeAndFlush(new TextWebSocketFrame(json))
                .addListener(WRITE_FAILURES)).start();
        server.closeFuture().sync();
    }

    /** Adds a channel to the group once its handshake is complete (the group drops it on close). */
    private static final class JoinGroupOnUpgrade extends ChannelInboundHandlerAdapter {
        private final ChannelGroup group;

        JoinGroupOnUpgrade(ChannelGroup group) {
            this.group = group;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                group.add(ctx.channel());
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg); // monitors send nothing we need
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("netty peer: " + cause);
            ctx.close();
        }
    }
}
