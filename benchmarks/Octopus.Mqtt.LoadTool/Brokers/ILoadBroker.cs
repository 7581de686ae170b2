namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>The broker a run loads: one the tool started (and can kill and start again) or one it was given.</summary>
internal interface ILoadBroker : IAsyncDisposable
{
    /// <summary>Gets the broker's address, <c>tcp://host:port</c>.</summary>
    Uri Server { get; }

    /// <summary>Gets what the broker is, for the report.</summary>
    string Description { get; }

    /// <summary>Gets a value indicating whether the tool can kill the broker and start it again on the same port.</summary>
    bool CanRestart { get; }

    /// <summary>Gets the broker process's open-file limit, when it is a process the tool started.</summary>
    long? OpenFileLimit { get; }

    /// <summary>Kills the broker: every connection breaks without a DISCONNECT.</summary>
    Task KillAsync();

    /// <summary>Starts the broker again on the same port.</summary>
    Task StartAgainAsync();
}
