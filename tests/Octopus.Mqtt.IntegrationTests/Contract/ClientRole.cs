namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>What a device client does in a contract test; it decides how the client reaches the broker.</summary>
public enum ClientRole
{
    /// <summary>The client under test: its connection can be taken away.</summary>
    Subject,

    /// <summary>Another device that watches or commands: it stays connected when the subject's connection is cut.</summary>
    Observer,
}
