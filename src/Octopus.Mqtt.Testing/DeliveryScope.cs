namespace Octopus.Mqtt.Testing;

/// <summary>
/// Which client's message handler the caller runs in: a broker publish waits for every delivery except those queued
/// behind the caller's own handler (waiting for them would never end).
/// </summary>
internal static class DeliveryScope
{
    private static readonly AsyncLocal<object?> CurrentOwner = new();

    /// <summary>Gets or sets the owner (a <see cref="MessageInbox"/> or a <see cref="FakeBrokerConnection"/>) whose handler the caller runs in, if any.</summary>
    public static object? Current
    {
        get => CurrentOwner.Value;
        set => CurrentOwner.Value = value;
    }
}
