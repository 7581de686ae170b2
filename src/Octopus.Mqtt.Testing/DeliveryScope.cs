namespace Octopus.Mqtt.Testing;

/// <summary>
/// Which client's message handler the caller runs in: a broker publish waits for every delivery except those queued
/// behind the caller's own handler (waiting for them would never end).
/// </summary>
internal static class DeliveryScope
{
    private static readonly AsyncLocal<object?> CurrentOwner = new();

    /// <summary>Gets or sets the owner whose handler the caller runs in, if any: a <see cref="MessageInbox"/>, or a packet connection's sender collector (or the connection itself when it has none).</summary>
    public static object? Current
    {
        get => CurrentOwner.Value;
        set => CurrentOwner.Value = value;
    }
}
