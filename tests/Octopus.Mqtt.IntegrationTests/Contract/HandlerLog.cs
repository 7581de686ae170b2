using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>A message handler that records each call as "index:topic:payload"; tests wait for calls as they arrive.</summary>
public sealed class HandlerLog
{
    private readonly ConditionRecorder<string> _calls = new();

    public HandlerLog() => Handler = (index, topic, payload, _) =>
    {
        _calls.Add($"{index}:{topic}:{Encoding.UTF8.GetString(payload.Span)}");
        return ValueTask.CompletedTask;
    };

    public MqttMessageHandler Handler { get; }

    public IReadOnlyList<string> Calls => _calls.GetSnapshot();

    public Task<IReadOnlyList<string>> WaitForCountAsync(int count) => _calls.WaitForCountAsync(count);
}
