namespace Octopus.Mqtt.Testing;

/// <summary>Counts a fake client's handler calls and collects the exceptions they threw, until the broker takes them (<see cref="HandledBarrier"/>).</summary>
internal sealed class HandlerProbe
{
    private readonly Lock _gate = new();
    private int _calls;
    private List<Exception>? _errors;

    /// <summary>Records a handler call.</summary>
    public void Called()
    {
        lock (_gate)
        {
            _calls++;
        }
    }

    /// <summary>Records an exception a handler call threw.</summary>
    /// <param name="exception">The exception.</param>
    public void Failed(Exception exception)
    {
        lock (_gate)
        {
            (_errors ??= []).Add(exception);
        }
    }

    /// <summary>Takes what the handler did since the last call.</summary>
    /// <returns>The calls and the exceptions.</returns>
    public DeliveryOutcome Take()
    {
        lock (_gate)
        {
            var outcome = new DeliveryOutcome(_calls, _errors);
            _calls = 0;
            _errors = null;
            return outcome;
        }
    }
}
