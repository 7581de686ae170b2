namespace Octopus.Mqtt;

/// <summary>
/// The messages waiting to be sent, kept in <see cref="OutboundMessage.Sequence"/> order: a growable ring that
/// appends new messages and slots a message back in place when it must be sent again. Not thread-safe.
/// </summary>
internal sealed class OutboundQueue
{
    private OutboundMessage[] _items = new OutboundMessage[16];
    private int _head;

    /// <summary>Gets the number of waiting messages.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a message at its place in sequence order (usually the end; the front for a resend).</summary>
    /// <param name="message">The message.</param>
    public void Insert(OutboundMessage message)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        // Walk back from the tail while the message belongs before the item, shifting items one place on.
        var position = Count;
        while (position > 0 && this[position - 1].Sequence > message.Sequence)
        {
            _items[Index(position)] = this[position - 1];
            position--;
        }

        _items[Index(position)] = message;
        Count++;
    }

    /// <summary>Gets the first (oldest) message without removing it.</summary>
    /// <returns>The message.</returns>
    public OutboundMessage Peek() => Count == 0 ? throw new InvalidOperationException("The queue is empty.") : _items[_head];

    /// <summary>Removes and returns the first (oldest) message.</summary>
    /// <returns>The message.</returns>
    public OutboundMessage Dequeue()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The queue is empty.");
        }

        var message = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
        return message;
    }

    /// <summary>Removes every message, oldest first, into a new array.</summary>
    /// <returns>The messages.</returns>
    public OutboundMessage[] DrainAll()
    {
        var all = new OutboundMessage[Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = Dequeue();
        }

        return all;
    }

    /// <summary>Removes the retained messages of the caller (not the client's own) waiting on a topic, keeping the order of the rest.</summary>
    /// <param name="topic">The rendered topic.</param>
    /// <returns>The removed messages, or <see langword="null"/> when none waited.</returns>
    public List<OutboundMessage>? RemoveRetained(string topic)
    {
        List<OutboundMessage>? removed = null;
        var kept = 0;
        for (var position = 0; position < Count; position++)
        {
            var item = this[position];
            if (item.Retain && !item.Internal && string.Equals(item.Topic, topic, StringComparison.Ordinal))
            {
                (removed ??= []).Add(item);
                continue;
            }

            _items[Index(kept++)] = item;
        }

        for (var position = kept; position < Count; position++)
        {
            _items[Index(position)] = null!;
        }

        Count = kept;
        return removed;
    }

    private OutboundMessage this[int position] => _items[Index(position)];

    private int Index(int position) => (_head + position) % _items.Length;

    private void Grow()
    {
        var bigger = new OutboundMessage[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = this[i];
        }

        _items = bigger;
        _head = 0;
    }
}
