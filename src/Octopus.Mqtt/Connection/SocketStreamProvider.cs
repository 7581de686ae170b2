using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace Octopus.Mqtt;

/// <summary>
/// The socket of a TCP, TLS or unix-socket connection, opened by the library instead of MQTTnet's channel, which fixes
/// the socket's send and receive buffers at its <c>BufferSize</c> (8 KB) and so turns off the kernel's autotuning of
/// them: a client that publishes faster than the broker reads for a moment then fills them within a hundred packets
/// and waits for the kernel every few packets after that. Here the kernel sizes the buffers, as it does for any socket
/// .NET or Go opens (docs/benchmarks.md); MQTTnet adds TLS over this stream when the server's scheme asks for it.
/// </summary>
internal sealed class SocketStreamProvider : IMqttClientStreamProvider
{
    /// <summary>Gets the one provider; it keeps no state.</summary>
    public static SocketStreamProvider Instance { get; } = new();

    /// <summary>Opens a socket to the broker, TCP without Nagle's delay, or a unix socket.</summary>
    /// <param name="brokerEndPoint">The broker's address: a host name, an IP address or a unix socket path.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected socket; disposed if the connect fails.</returns>
    /// <exception cref="MqttCommunicationException">The connect failed: the message names the address and the socket's reason (the <see cref="SocketException"/> is inside).</exception>
    public static async Task<Socket> ConnectSocketAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(brokerEndPoint);
        var socket = brokerEndPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new MqttCommunicationException($"Could not connect to {Describe(brokerEndPoint)}: {exception.Message}", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        UnixDomainSocketEndPoint unix => $"the unix socket {unix}",
        _ => endPoint.ToString() ?? endPoint.GetType().Name,
    };

    /// <inheritdoc/>
    public async Task<Stream> ConnectAsync(EndPoint remoteEndPoint, CancellationToken cancellationToken) =>
        new NetworkStream(await ConnectSocketAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false), ownsSocket: true);
}
