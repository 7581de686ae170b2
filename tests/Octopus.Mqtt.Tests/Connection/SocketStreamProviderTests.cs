using System.Net;
using System.Net.Sockets;
using MQTTnet.Exceptions;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class SocketStreamProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_Tcp_ReturnsAConnectedStreamWithoutNaglesDelay()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(Ct);

        await using var stream = (NetworkStream)await SocketStreamProvider.Instance.ConnectAsync(listener.LocalEndpoint, Ct);
        using var server = await accepting;

        stream.Socket.Connected.Should().BeTrue();
        stream.Socket.NoDelay.Should().BeTrue("a lone packet must go out at once");
        await stream.WriteAsync("ping"u8.ToArray(), Ct);
        var received = new byte[4];
        (await server.ReceiveAsync(received, Ct)).Should().Be(4);
        received.Should().Equal("ping"u8.ToArray());
    }

    [Fact]
    public async Task ConnectAsync_UnixSocket_ReturnsAConnectedStream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"octopus-mqtt-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        try
        {
            var accepting = listener.AcceptAsync(Ct);

            await using var stream = (NetworkStream)await SocketStreamProvider.Instance.ConnectAsync(new UnixDomainSocketEndPoint(path), Ct);
            using var server = await accepting;

            stream.Socket.AddressFamily.Should().Be(AddressFamily.Unix);
            await stream.WriteAsync("ping"u8.ToArray(), Ct);
            var received = new byte[4];
            (await server.ReceiveAsync(received, Ct)).Should().Be(4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ConnectAsync_NobodyListens_SaysWhereAndWhy()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var endPoint = probe.LocalEndpoint;
        probe.Stop();

        var connect = () => SocketStreamProvider.Instance.ConnectAsync(endPoint, Ct);

        var thrown = await connect.Should().ThrowAsync<MqttCommunicationException>();
        thrown.Which.Message.Should().Be($"Could not connect to {endPoint}: Connection refused");
        thrown.Which.InnerException.Should().BeOfType<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
    }
}
