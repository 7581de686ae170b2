namespace Octopus.Mqtt;

/// <summary>
/// Our own keep-alive check with an exact <c>client.pingTimeout</c>: MQTTnet only pings after a keep-alive period
/// without sending and waits half the keep-alive for the answer. The watchdog pings every
/// three quarters of the keep-alive (so MQTTnet's own ping never fires) and declares the link dead when a PINGRESP
/// does not come within the ping timeout.
/// </summary>
internal static class PingWatchdog
{
    /// <summary>Gets the ping interval for a keep-alive period: three quarters of it, at least 100 ms.</summary>
    /// <param name="keepAlive">The keep-alive period in force.</param>
    /// <returns>The interval.</returns>
    public static TimeSpan GetInterval(TimeSpan keepAlive)
    {
        var interval = TimeSpan.FromTicks(keepAlive.Ticks / 4 * 3);
        return interval < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : interval;
    }

    /// <summary>Pings every <paramref name="interval"/> until a ping fails or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="ping">Sends PINGREQ and completes on PINGRESP; must honour its token.</param>
    /// <param name="interval">The time between the end of one ping and the next.</param>
    /// <param name="timeout">How long to wait for each PINGRESP.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Stops the watchdog (the connection ended).</param>
    /// <returns>
    /// <see langword="null"/> when stopped; a <see cref="TimeoutException"/> when a PINGRESP did not come in time;
    /// otherwise the exception the ping failed with.
    /// </returns>
    public static async Task<Exception?> RunAsync(
        Func<CancellationToken, Task> ping,
        TimeSpan interval,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            using var deadline = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await ping(linked.Token).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
                return new TimeoutException("The broker did not answer a ping (PINGREQ) within client.pingTimeout " + GoDuration.FromTimeSpan(timeout) + ".");
            }
            catch (Exception exception)
            {
                return exception;
            }
        }
    }
}
