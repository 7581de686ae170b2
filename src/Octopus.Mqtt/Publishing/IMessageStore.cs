namespace Octopus.Mqtt;

/// <summary>Keeps unacknowledged QoS 1 and 2 messages where they outlive the process.</summary>
/// <remarks>
/// Memory is the default store and needs no implementation: the client's own queue keeps unacknowledged messages
/// across reconnects. Calls come from several threads, never for the same sequence at once.
/// </remarks>
internal interface IMessageStore : IDisposable
{
    /// <summary>Gets where the store keeps its messages, for the log.</summary>
    string Location { get; }

    /// <summary>Reads every kept message, oldest first, setting aside (with a warning) any that cannot be read.</summary>
    /// <returns>The messages.</returns>
    IReadOnlyList<StoredMessage> Load();

    /// <summary>Keeps a message, durably, before its publish is accepted.</summary>
    /// <param name="message">The message.</param>
    void Save(OutboundMessage message);

    /// <summary>Forgets a message once it is acknowledged or dropped.</summary>
    /// <param name="sequence">The message's sequence number.</param>
    void Delete(long sequence);
}
