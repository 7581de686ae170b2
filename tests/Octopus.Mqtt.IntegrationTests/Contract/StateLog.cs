using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>Records a client's state changes as "Previous->State".</summary>
public sealed class StateLog
{
    private readonly ConditionRecorder<MqttConnectionStateChangedEventArgs> _changes = new();

    public StateLog(IMqttDeviceClient client) => client.StateChanged += (_, e) => _changes.Add(e);

    public IReadOnlyList<MqttConnectionStateChangedEventArgs> Changes => _changes.GetSnapshot();

    public IReadOnlyList<string> Transitions => [.. Changes.Select(e => $"{e.PreviousState}->{e.State}")];

    /// <summary>Waits (event-driven, with a deadline) until <paramref name="client"/> is in <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(IMqttDeviceClient client, MqttConnectionState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<MqttConnectionStateChangedEventArgs> onChange = (_, e) =>
        {
            if (e.State == state)
            {
                reached.TrySetResult();
            }
        };
        client.StateChanged += onChange;
        try
        {
            if (client.State != state)
            {
                await reached.Task.WaitAsync(TestTimeouts.Arrival, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            client.StateChanged -= onChange;
        }
    }
}
