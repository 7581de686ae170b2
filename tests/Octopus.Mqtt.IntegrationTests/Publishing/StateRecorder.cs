using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Publishing;

/// <summary>Records the state changes of device clients, in order, and lets a test wait for the n-th time a state was reached.</summary>
internal sealed class StateRecorder : ConditionRecorder<MqttConnectionStateChangedEventArgs>
{
    /// <summary>Records the state changes of <paramref name="client"/> from now on.</summary>
    /// <param name="client">The client.</param>
    public void Attach(IMqttDeviceClient client) => client.StateChanged += (_, e) => Add(e);

    /// <summary>Gets how many times <paramref name="state"/> was reached so far.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The count.</returns>
    public int CountOf(MqttConnectionState state) => GetSnapshot().Count(s => s.State == state);

    /// <summary>Waits until <paramref name="state"/> was reached at least <paramref name="count"/> times.</summary>
    /// <param name="state">The state.</param>
    /// <param name="count">How many times.</param>
    /// <returns>The state change that made the count.</returns>
    public async Task<MqttConnectionStateChangedEventArgs> WaitForAsync(MqttConnectionState state, int count = 1)
    {
        var states = await WaitUntilAsync(all => all.Count(s => s.State == state) >= count, $"{state} #{count}");
        return states.Where(s => s.State == state).ElementAt(count - 1);
    }
}
