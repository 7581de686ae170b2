namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>A broker named with <c>--server</c>: loaded, never restarted.</summary>
internal sealed class ExternalBroker(Uri server) : ILoadBroker
{
    public Uri Server { get; } = server;

    public string Description => $"external broker {Server}";

    public bool CanRestart => false;

    public long? OpenFileLimit => null;

    public Task KillAsync() => throw new NotSupportedException("The tool cannot restart a broker it did not start.");

    public Task StartAgainAsync() => throw new NotSupportedException("The tool cannot restart a broker it did not start.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
