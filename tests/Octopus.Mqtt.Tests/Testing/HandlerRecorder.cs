using System.Text;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>A message handler that records "index:topic:payload" and lets a test wait (without polling) for a number of calls.</summary>
internal sealed class HandlerRecorder
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public HandlerRecorder() => Handler = HandleAsync;

    public MqttMessageHandler Handler { get; }

    public CancellationToken LastToken { get; private set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public async Task<IReadOnlyList<string>> WaitForCountAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_calls.Count >= count)
            {
                return [.. _calls];
            }

            _waiters.Add((count, done));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return Calls;
    }

    private ValueTask HandleAsync(int index, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            LastToken = cancellationToken;
            _calls.Add($"{index}:{topic}:{Encoding.UTF8.GetString(payload.Span)}");
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_calls.Count >= _waiters[i].Count)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
