namespace Octopus.Mqtt;

/// <summary>
/// A client whose accepted messages can move to its successor when the device links replace it (its options or
/// references changed): nothing a publish call was told is queued is lost to the replacement.
/// </summary>
internal interface IMessageHandover
{
    /// <summary>
    /// Disposes the client gracefully and returns, oldest first, the messages it still held. With
    /// <paramref name="keepStored"/>, the messages its File store keeps stay there for the successor, which reads the
    /// same store; otherwise they are handed over too (the successor uses another store, or none).
    /// </summary>
    /// <param name="keepStored">Whether the successor reads the same store.</param>
    /// <returns>The messages; their outcome is now up to the successor (<see cref="Adopt"/>) or <see cref="Abandon"/>.</returns>
    Task<IReadOnlyList<OutboundMessage>> DisposeAndHandOverAsync(bool keepStored);

    /// <summary>Takes over the messages of a predecessor; they are sent before any later publish, and moved into this client's store if it has one.</summary>
    /// <param name="messages">The messages, oldest first.</param>
    void Adopt(IReadOnlyList<OutboundMessage> messages);

    /// <summary>Drops handed-over messages that no client can take (counted, logged and traced).</summary>
    /// <param name="messages">The messages.</param>
    void Abandon(IReadOnlyList<OutboundMessage> messages);
}
