using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>
/// The one writer of a connection: encodes each packet as it is handed over and writes packets in the order they
/// were handed over, several in one write when they arrive while a write is under way.
/// </summary>
/// <remarks>
/// <para>
/// A packet handed over while no write is under way is written at once, on the caller's thread: no timer, no added
/// latency. Packets handed over during a write (a pipelined burst, acknowledgements of received messages, a resend
/// after a reconnect) are encoded into one pooled buffer and written together when that write ends. A packet is
/// encoded before <see cref="WriteAsync"/> returns, so its sender may reuse the packet object at once.
/// </para>
/// <para>
/// A write that fails, whole or in part, fails every packet of its batch and every packet waiting for the next, and
/// the writer: later packets fail at once (the connection is unusable, as a stream with half a packet in it is). A
/// packet the codec refuses fails alone and leaves nothing in the stream.
/// </para>
/// </remarks>
internal sealed class PacketWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MqttPacketFormatterAdapter _formatter;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;
    private readonly Stack<WriteCompletion> _pool = new();
    private WriteBatch _pending = new();
    private WriteBatch _writing = new();
    private bool _busy;
    private Exception? _failure;

    /// <summary>Initializes a new instance of the <see cref="PacketWriter"/> class.</summary>
    /// <param name="formatter">Encodes packets with the codec of the connection's protocol version.</param>
    /// <param name="write">Writes bytes to the transport, whole, and flushes them.</param>
    public PacketWriter(MqttPacketFormatterAdapter formatter, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
    {
        _formatter = formatter;
        _write = write;
    }

    /// <summary>Encodes a packet and writes it, alone if no write is under way, or with the next batch.</summary>
    /// <param name="packet">The packet; encoded before the call returns, so it may be reused once the call returned.</param>
    /// <param name="cancellationToken">Cancels the write that carries the packet if it is the first of its batch; a write cancelled midway fails the writer.</param>
    /// <returns>A task that completes when the write that carries the packet ended; await it once.</returns>
    /// <exception cref="MqttProtocolViolationException">The codec refused the packet; nothing of it was written.</exception>
    /// <exception cref="MqttCommunicationException">An earlier write failed: the connection is unusable.</exception>
    public ValueTask WriteAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        cancellationToken.ThrowIfCancellationRequested();
        WriteCompletion completion;
        bool start;
        lock (_gate)
        {
            ThrowIfFailedLocked();
            completion = RentLocked();
            try
            {
                Encode(packet, completion);
            }
            catch
            {
                _pool.Push(completion);
                throw;
            }

            start = BeginLocked(cancellationToken);
        }

        return Start(completion, start);
    }

    /// <summary>Encodes a packet to go out with the next write, which <see cref="WriteAsync"/> or <see cref="FlushAsync"/> starts.</summary>
    /// <param name="packet">The packet; encoded before the call returns, so it may be reused once the call returned.</param>
    /// <exception cref="MqttProtocolViolationException">The codec refused the packet; nothing of it was written.</exception>
    /// <exception cref="MqttCommunicationException">An earlier write failed: the connection is unusable.</exception>
    public void Enqueue(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        lock (_gate)
        {
            ThrowIfFailedLocked();
            Encode(packet, null);
        }
    }

    /// <summary>Writes every packet handed over so far, unless a write under way or the next batch already takes them.</summary>
    /// <param name="cancellationToken">Cancels the write if it starts one; a write cancelled midway fails the writer.</param>
    /// <returns>A task that completes when every packet handed over before the call is written; await it once.</returns>
    /// <exception cref="MqttCommunicationException">An earlier write failed: the connection is unusable.</exception>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WriteCompletion completion;
        bool start;
        lock (_gate)
        {
            ThrowIfFailedLocked();
            if (!_busy && _pending.IsEmpty)
            {
                return ValueTask.CompletedTask;
            }

            completion = RentLocked();
            _pending.AddWaiter(completion);
            start = BeginLocked(cancellationToken);
        }

        return Start(completion, start);
    }

    /// <summary>Fails the writer: packets waiting fail, later ones fail at once.</summary>
    /// <param name="reason">Why.</param>
    public void Fail(Exception reason)
    {
        WriteCompletion[] waiting;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = reason;
            waiting = [.. _pending.Completions];
            _pending.Clear();
            if (!_busy)
            {
                _pending.Release();
            }
        }

        foreach (var completion in waiting)
        {
            completion.Fail(new MqttCommunicationException("The packet was not written: the connection failed.", reason));
        }
    }

    /// <summary>Fails the writer (packets not written yet fail with <see cref="ObjectDisposedException"/>).</summary>
    public void Dispose() => Fail(new ObjectDisposedException(nameof(PacketWriter)));

    /// <summary>Takes back a completion whose task was awaited.</summary>
    /// <param name="completion">The completion.</param>
    internal void Return(WriteCompletion completion)
    {
        lock (_gate)
        {
            _pool.Push(completion);
        }
    }

    private void ThrowIfFailedLocked()
    {
        if (_failure is not null)
        {
            throw new MqttCommunicationException("The connection is unusable: an earlier write failed.", _failure);
        }
    }

    private WriteCompletion RentLocked() => _pool.Count > 0 ? _pool.Pop() : new WriteCompletion(this);

    /// <summary>Gives the next batch its token if it has none, and claims the flush if the writer is idle.</summary>
    /// <returns><see langword="true"/> when the caller must start the flush.</returns>
    private bool BeginLocked(CancellationToken cancellationToken)
    {
        if (!_pending.Token.CanBeCanceled)
        {
            _pending.Token = cancellationToken;
        }

        if (_busy)
        {
            return false;
        }

        _busy = true;
        return true;
    }

    private ValueTask Start(WriteCompletion completion, bool start)
    {
        var task = completion.Task;
        if (start)
        {
            _ = FlushLoopAsync();
        }

        return task;
    }

    private void Encode(MqttPacket packet, WriteCompletion? completion)
    {
        try
        {
            var encoded = _formatter.Encode(packet);
            _pending.Add(encoded.Packet.AsSpan(), encoded.Payload, completion);
        }
        finally
        {
            _formatter.Cleanup();
        }
    }

    /// <summary>Writes batches until none is waiting; runs on the thread that found the writer idle, until a write goes asynchronous.</summary>
    private async Task FlushLoopAsync()
    {
        while (true)
        {
            WriteBatch batch;
            lock (_gate)
            {
                if (_pending.IsEmpty || _failure is not null)
                {
                    _busy = false;
                    _pending.Release();
                    _writing.Release();
                    return;
                }

                batch = _pending;
                _pending = _writing;
                _writing = batch;
            }

            Exception? error = null;
            try
            {
                if (!batch.Bytes.IsEmpty)
                {
                    await _write(batch.Bytes, batch.Token).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                error = exception is MqttCommunicationException or OperationCanceledException
                    ? exception
                    : new MqttCommunicationException(exception);
            }

            if (error is not null)
            {
                Fail(error);
            }

            // Only this loop touches the batch being written (senders fill the other), so its list is read in place.
            var completions = batch.Completions;
            for (var i = 0; i < completions.Count; i++)
            {
                Complete(completions[i], error);
            }

            batch.Clear();
        }
    }

    private static void Complete(WriteCompletion completion, Exception? error)
    {
        if (error is null)
        {
            completion.Succeed();
        }
        else
        {
            completion.Fail(error);
        }
    }
}
