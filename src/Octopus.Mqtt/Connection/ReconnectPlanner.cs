namespace Octopus.Mqtt;

/// <summary>
/// Decides where and when a device client connects next: the servers in turn (<c>client.server</c>, then
/// <c>client.servers</c>) with the backoff applied per full round, a Server Reference followed at once (at most
/// <see cref="MaxRedirects"/> in a row), a refusal retrying will not fix and a session takeover retried at
/// <c>maxReconnectInterval</c>, and the backoff reset only by a connection that stayed up for
/// <c>client.stableConnectionTime</c>.
/// </summary>
/// <remarks>
/// Used by one supervisor at a time (the first connect, then the reconnect loop); <see cref="Connected"/>,
/// <see cref="Problem"/> and <see cref="Takeovers"/> may be read from any thread.
/// </remarks>
internal sealed class ReconnectPlanner
{
    /// <summary>The most redirects (0x9C, 0x9D) followed in a row before a connection stays up.</summary>
    public const int MaxRedirects = 3;

    /// <summary>
    /// How many connections in a row closed before they were stable make a takeover suspected: MQTT 3.1.1 has no way to
    /// say it, and some MQTT 5 brokers (mosquitto 2.0) close the old connection without DISCONNECT 0x8E too.
    /// </summary>
    public const int SuspectedTakeoverCount = 3;

    /// <summary>The default of <c>client.stableConnectionTime</c>, or <c>client.keepAlive</c> when that is longer.</summary>
    public static readonly TimeSpan DefaultStableTime = TimeSpan.FromSeconds(30);

    // A retry count at which every backoff is at its cap.
    private const int AtCap = 64;

    private readonly ServerAddress[] _servers;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _time;
    private int _index;
    private ServerAddress? _redirect;
    private int _redirects;
    private int _attempts;
    private bool _roundFatal;
    private int _retry;
    private int _shortLived;
    private long _connectedAt;
    private volatile ServerAddress? _connected;
    private volatile string? _problem;
    private bool _problemIsTakeover;
    private long _takeovers;

    /// <summary>Initializes a new instance of the <see cref="ReconnectPlanner"/> class.</summary>
    /// <param name="servers">The servers, in order; at least one.</param>
    /// <param name="backoff">The backoff of failed rounds.</param>
    /// <param name="stableTime">How long a connection must stay up to reset the backoff.</param>
    /// <param name="time">The clock.</param>
    public ReconnectPlanner(IReadOnlyList<ServerAddress> servers, ReconnectBackoff backoff, TimeSpan stableTime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = [.. servers];
        _backoff = backoff;
        StableTime = stableTime;
        _time = time;
    }

    /// <summary>Gets how long a connection must stay up to reset the backoff.</summary>
    public TimeSpan StableTime { get; }

    /// <summary>Gets the servers, in order.</summary>
    public IReadOnlyList<ServerAddress> Servers => _servers;

    /// <summary>Gets the server the next attempt goes to.</summary>
    public ServerAddress Current => _redirect ?? _servers[_index];

    /// <summary>Gets the server of the current connection, or <see langword="null"/> while there is none.</summary>
    public ServerAddress? Connected => _connected;

    /// <summary>Gets why the client cannot stay connected (a refusal retrying will not fix, a takeover), or <see langword="null"/>.</summary>
    public string? Problem => _problem;

    /// <summary>Gets how many times another client with this client ID took the session (or was suspected to).</summary>
    public long Takeovers => Interlocked.Read(ref _takeovers);

    /// <summary>Gets a value indicating whether the last failed round met a refusal retrying will not fix.</summary>
    public bool RoundWasFatal => _roundFatal;

    /// <summary>Gets how many rounds failed (or connections did not stay up) since the backoff was last reset.</summary>
    public int Retry => _retry;

    /// <summary>Gets the effective stable time of <c>client.stableConnectionTime</c>: zero means 30 seconds or the keep-alive, whichever is longer.</summary>
    /// <param name="client">The client options.</param>
    /// <returns>The stable time.</returns>
    public static TimeSpan GetStableTime(MqttClientSettings client)
    {
        if (client.StableConnectionTime > GoDuration.Zero)
        {
            return client.StableConnectionTime.ToTimeSpan();
        }

        var keepAlive = MqttTimeouts.KeepAlive(client.KeepAlive);
        return keepAlive > DefaultStableTime ? keepAlive : DefaultStableTime;
    }

    /// <summary>Starts a round: every server of the list gets one attempt before the backoff.</summary>
    public void BeginRound()
    {
        _attempts = 0;
        _roundFatal = false;
    }

    /// <summary>An attempt at <see cref="Current"/> failed: says which server to try at once, if any.</summary>
    /// <param name="error">Why.</param>
    /// <param name="redirected">Whether the broker's Server Reference named the next server.</param>
    /// <returns>The server to try now, or <see langword="null"/> when the round is over (see <see cref="OnRoundFailed"/>).</returns>
    public ServerAddress? OnAttemptFailed(MqttDeviceClientException? error, out bool redirected)
    {
        redirected = false;
        var from = Current;
        var fromList = _redirect is null;
        _redirect = null;
        if (fromList)
        {
            _attempts++;
            _index = (_index + 1) % _servers.Length;
        }

        switch (RefusalClassifier.Classify(error))
        {
            case RefusalKind.Redirect when TryFollow(error!.ServerReference, from):
                redirected = true;
                return _redirect;
            case RefusalKind.Fatal:
                _roundFatal = true;
                SetProblem(error!.Message, takeover: false);
                break;
        }

        return _attempts < _servers.Length ? Current : null;
    }

    /// <summary>Every server of the round failed: the wait before the next round.</summary>
    /// <returns>The delay: at the cap after a refusal retrying will not fix, otherwise the next backoff step.</returns>
    public TimeSpan OnRoundFailed() => _roundFatal ? _backoff.GetDelay(AtCap) : _backoff.GetDelay(_retry++);

    /// <summary>The attempt at <paramref name="server"/> connected.</summary>
    /// <param name="server">The server.</param>
    public void OnConnected(ServerAddress server)
    {
        _connected = server;
        _connectedAt = _time.GetTimestamp();
        if (!_problemIsTakeover)
        {
            _problem = null;
        }
    }

    /// <summary>The connection was lost: where and when to connect next.</summary>
    /// <param name="reason">Why, if known.</param>
    /// <returns>The wait and why.</returns>
    public ReconnectDecision OnLost(Exception? reason)
    {
        var server = _connected ?? Current;
        _connected = null;
        if (_time.GetElapsedTime(_connectedAt) >= StableTime)
        {
            _retry = 0;
            _shortLived = 0;
            _redirects = 0;
            if (_problemIsTakeover)
            {
                SetProblem(null, takeover: false);
            }
        }
        else
        {
            _shortLived++;
        }

        switch (RefusalClassifier.Classify(reason))
        {
            case RefusalKind.Takeover:
                return TakenOver(ReconnectReason.Takeover, "another client with this client ID is connected: the broker ended the connection with 0x8E Session Taken Over");
            case RefusalKind.Redirect when _redirects < MaxRedirects:
                _redirects++;
                if (!TryFollow(((MqttDeviceClientException)reason!).ServerReference, server, counted: false))
                {
                    _redirect = null;
                    _index = (_index + 1) % _servers.Length;
                }

                return new ReconnectDecision(TimeSpan.Zero, ReconnectReason.Redirect);
            case RefusalKind.Fatal:
                SetProblem(reason!.Message, takeover: false);
                return new ReconnectDecision(_backoff.GetDelay(AtCap), ReconnectReason.Fatal);
        }

        if (_shortLived >= SuspectedTakeoverCount)
        {
            return TakenOver(
                ReconnectReason.SuspectedTakeover,
                $"another client with this client ID is probably connected: the broker closed {_shortLived} connections in a row within {GoDuration.FromTimeSpan(StableTime)} of accepting them");
        }

        return new ReconnectDecision(_backoff.GetDelay(_retry++), ReconnectReason.Backoff);
    }

    private ReconnectDecision TakenOver(ReconnectReason reason, string problem)
    {
        Interlocked.Increment(ref _takeovers);
        SetProblem(problem, takeover: true);
        _retry = AtCap;
        return new ReconnectDecision(_backoff.GetDelay(AtCap), reason);
    }

    private bool TryFollow(string? reference, ServerAddress from, bool counted = true)
    {
        if (counted && _redirects >= MaxRedirects)
        {
            return false;
        }

        if (!ServerReference.TryResolve(reference, from, out var target))
        {
            return false;
        }

        if (counted)
        {
            _redirects++;
        }

        _redirect = target;
        return true;
    }

    private void SetProblem(string? problem, bool takeover)
    {
        _problemIsTakeover = takeover && problem is not null;
        _problem = problem;
    }
}
