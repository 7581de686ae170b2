using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace Octopus.Mqtt;

/// <summary>
/// A plain TCP or unix-socket connection that the session reads and writes on the socket itself: each read and write
/// is a <see cref="ValueTask"/> on the socket's own reusable operation, where MQTTnet's channel makes a task per read
/// (and per write that waits). TLS and WebSocket connections stay MQTTnet's channel (over our socket for TLS).
/// </summary>
internal sealed class SocketChannel : IMqttChannel
{
    private readonly EndPoint _broker;
    private Socket? _socket;

    /// <summary>Initializes a new instance of the <see cref="SocketChannel"/> class.</summary>
    /// <param name="broker">The broker's address: a host name, an IP address or a unix socket path.</param>
    public SocketChannel(EndPoint broker)
    {
        _broker = broker;
        RemoteEndPoint = broker;
    }

    /// <inheritdoc/>
    public X509Certificate2 ClientCertificate => null!;

    /// <inheritdoc/>
    public EndPoint RemoteEndPoint { get; private set; }

    /// <inheritdoc/>
    public EndPoint LocalEndPoint { get; private set; } = null!;

    /// <inheritdoc/>
    public bool IsSecureConnection => false;

    /// <inheritdoc/>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = await SocketStreamProvider.ConnectSocketAsync(_broker, cancellationToken).ConfigureAwait(false);
        RemoteEndPoint = socket.RemoteEndPoint ?? _broker;
        LocalEndPoint = socket.LocalEndPoint!;
        _socket = socket;
    }

    /// <inheritdoc/>
    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Reads what arrived, up to <paramref name="count"/> bytes, waiting for at least one.</summary>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="offset">Where in <paramref name="buffer"/>.</param>
    /// <param name="count">The most bytes to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many bytes were read; 0 when the broker closed the connection or it was closed here.</returns>
    public ValueTask<int> ReceiveAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null)
        {
            return new ValueTask<int>(0);
        }

        try
        {
            // A read under way when the socket is disposed fails with the socket's "operation aborted", as MQTTnet's
            // channel does; a read after it reads the end of the stream.
            return socket.ReceiveAsync(buffer.AsMemory(offset, count), SocketFlags.None, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return new ValueTask<int>(0);
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write; the connection is then unusable.</param>
    /// <returns>A task that completes when every byte is with the kernel.</returns>
    /// <exception cref="MqttCommunicationException">The connection is closed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw Closed();
        try
        {
            var sent = socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            if (sent.IsCompletedSuccessfully)
            {
                var count = sent.Result;
                return count == bytes.Length ? default : SendRestAsync(socket, bytes[count..], cancellationToken);
            }

            return AwaitSendAsync(socket, sent, bytes, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            throw Closed();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitSendAsync(Socket socket, ValueTask<int> sent, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            var count = await sent.ConfigureAwait(false);
            if (count < bytes.Length)
            {
                await SendRestAsync(socket, bytes[count..], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException)
        {
            throw Closed();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendRestAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }
        }
        catch (ObjectDisposedException)
        {
            throw Closed();
        }
    }

    private static MqttCommunicationException Closed() => new("The connection to the broker is closed.");

    /// <inheritdoc/>
    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReceiveAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        foreach (var segment in buffer)
        {
            await SendAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref _socket, null)?.Dispose();
}
