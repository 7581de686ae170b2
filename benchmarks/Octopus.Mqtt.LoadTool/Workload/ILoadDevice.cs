namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>One publishing device of a case, with its own connection.</summary>
internal interface ILoadDevice : IAsyncDisposable
{
    Task ConnectAsync();

    /// <summary>Publishes messages one after another, awaiting each, until the device's share is sent.</summary>
    Task RunLaneAsync(LaneContext context);
}
