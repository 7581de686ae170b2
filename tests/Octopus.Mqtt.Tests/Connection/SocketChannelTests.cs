using System.Net;
using System.Net.Sockets;
using MQTTnet.Exceptions;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class SocketChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiveAsync_BytesFromTheBroker_ReadsWhatArrived()
    {
        var (channel, server) = await ConnectAsync();
        using var _ = channel;
        using var __ = server;

        await server.SendAsync("hello"u8.ToArray(), Ct);
        var buffer = new byte[16];
        var read = 0;
        while (read < 5)
        {
            read += await channel.ReceiveAsync(buffer, 2 + read, buffer.Length - 2 - read, Ct);
        }

        buffer.AsSpan(2, 5).ToArray().Should().Equal("hello"u8.ToArray());
    }

    [Fact]
    public async Task SendAsync_MoreThanTheKernelTakesAtOnce_WritesEveryByteInOrder()
    {
        var (channel, server) = await ConnectAsync();
        using var _ = channel;
        using var __ = server;
        var bytes = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(bytes);

        var receiving = ReceiveAllAsync(server, bytes.Length);
        await channel.SendAsync(bytes, Ct);

        (await receiving).Should().Equal(bytes);
    }

    [Fact]
    public async Task ReceiveAsync_BrokerClosedTheConnection_ReturnsZero()
    {
        var (channel, server) = await ConnectAsync();
        using var _ = channel;

        server.Shutdown(SocketShutdown.Both);
        server.Dispose();

        (await channel.ReceiveAsync(new byte[8], 0, 8, Ct)).Should().Be(0);
    }

    [Fact]
    public async Task Dispose_ThenReadAndWrite_ReadsEndOfStreamAndWriteSaysTheConnectionIsClosed()
    {
        var (channel, server) = await ConnectAsync();
        using var _ = server;

        channel.Dispose();

        (await channel.ReceiveAsync(new byte[8], 0, 8, Ct)).Should().Be(0);
        await FluentActions.Awaiting(async () => await channel.SendAsync(new byte[] { 1 }, Ct))
            .Should().ThrowAsync<MqttCommunicationException>().WithMessage("The connection to the broker is closed.");
    }

    [Fact]
    public async Task ConnectAsync_HostName_ConnectsAndReportsTheSocketsEndPoints()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepting = listener.AcceptSocketAsync(Ct);
        using var channel = new SocketChannel(new DnsEndPoint("localhost", port));

        await channel.ConnectAsync(Ct);
        using var server = await accepting;

        channel.RemoteEndPoint.Should().BeOfType<IPEndPoint>().Which.Port.Should().Be(port);
        channel.LocalEndPoint.Should().BeOfType<IPEndPoint>().Which.Port.Should().Be(((IPEndPoint)server.RemoteEndPoint!).Port);
        channel.IsSecureConnection.Should().BeFalse();
    }

    private static async Task<(SocketChannel Channel, Socket Server)> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(Ct);
        var channel = new SocketChannel(listener.LocalEndpoint);
        await channel.ConnectAsync(Ct);
        return (channel, await accepting);
    }

    private static async Task<byte[]> ReceiveAllAsync(Socket socket, int length)
    {
        var received = new byte[length];
        var have = 0;
        while (have < length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(have), Ct);
            read.Should().BePositive("the client keeps the connection open until everything is read");
            have += read;
        }

        return received;
    }
}
