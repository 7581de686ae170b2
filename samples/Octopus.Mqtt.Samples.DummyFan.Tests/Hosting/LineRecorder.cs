using System.Text;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Hosting;

/// <summary>A writer that keeps the lines written to it and lets a test wait for one.</summary>
internal sealed class LineRecorder : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Add(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
                _written.TrySetResult();
                _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    /// <summary>Waits until a line matches <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">No line matched within <paramref name="timeout"/>; the message lists the lines.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task written;
            lock (_gate)
            {
                if (_lines.FirstOrDefault(predicate) is { } line)
                {
                    return line;
                }

                written = _written.Task;
            }

            try
            {
                await written.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching line within {timeout}; lines:\n{string.Join('\n', Lines)}");
            }
        }
    }
}
