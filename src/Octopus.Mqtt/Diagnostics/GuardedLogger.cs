using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>
/// The engine's logger: passes everything to the application's logger and swallows what that logger throws, so a
/// failing log provider (a full disk, a broken sink) can never stop a connection, the sender or a handler's
/// acknowledgement. What is lost is the log line, nothing else.
/// </summary>
/// <param name="inner">The application's logger.</param>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    /// <summary>Wraps a logger, unless it is guarded already.</summary>
    /// <param name="logger">The logger.</param>
    /// <returns>The guarded logger.</returns>
    public static ILogger Wrap(ILogger logger) => logger as GuardedLogger ?? new GuardedLogger(logger);

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // See the type's remarks.
        }
    }
}
