namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>Lets one caller at a time in: <c>using var held = await gate.EnterAsync(cancellationToken);</c>.</summary>
internal sealed class AsyncGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Held(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Held(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
