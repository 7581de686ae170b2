namespace Octopus.Mqtt;

/// <summary>Keeps unacknowledged QoS 1 and 2 messages where they outlive the process.</summary>
/// <remarks>
/// <para>
/// Memory is the default store and needs no implementation: the client's own queue keeps unacknowledged messages
/// across reconnects. Calls come from several threads, never for the same sequence at once.
/// </para>
/// <para>
/// An entry keeps the message with its packet identifier and handshake phase, so that a client resuming the persistent
/// session (cleanSession false) after a restart sends a PUBLISH again with its original identifier and DUP, or a PUBREL
/// for a QoS 2 message that got its PUBREC (MQTT 3.1.1 §4.4). <see cref="Save"/> is therefore called once when the
/// message is accepted, and again for the same sequence whenever its packet identifier or its phase changes: before
/// the PUBLISH goes out with a newly bound identifier, and before the PUBREL goes out. Each call replaces the entry
/// atomically.
/// </para>
/// </remarks>
internal interface IMessageStore : IDisposable
{
    /// <summary>Gets where the store keeps its messages, for the log.</summary>
    string Location { get; }

    /// <summary>Reads every kept message, oldest first, setting aside (with a warning) any that cannot be read.</summary>
    /// <returns>The messages, each with the packet identifier and phase of its last save.</returns>
    IReadOnlyList<StoredMessage> Load();

    /// <summary>
    /// Keeps a message durably with its <see cref="OutboundMessage.PacketId"/> and <see cref="OutboundMessage.Phase"/>:
    /// first before its publish is accepted, then again (replacing the entry) whenever either changes.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <exception cref="IOException">The entry could not be written or made durable (a full disk, for instance).</exception>
    /// <exception cref="UnauthorizedAccessException">The store's directory refuses the write.</exception>
    /// <remarks>
    /// When it throws, the entry keeps its previous content or (when only the final flush of the directory failed)
    /// the new one, and no partial file stays behind; a caller that gives the message up calls <see cref="Delete"/>.
    /// </remarks>
    void Save(OutboundMessage message);

    /// <summary>Forgets a message once it is acknowledged or dropped. Never throws: a failure is logged, and a message
    /// that stays is only sent again.</summary>
    /// <param name="sequence">The message's sequence number.</param>
    void Delete(long sequence);
}
