using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace Octopus.Mqtt;

/// <summary>
/// Makes connection attempts for one device: builds each attempt's options (credentials resolved afresh, everything
/// else as the device's plan converted it), opens the wire, sends CONNECT within the options' timeout and judges the
/// CONNACK. Protocol version 0 falls back to MQTT 3.1 (with the 23-character client ID)
/// when the broker refuses 3.1.1, once and for good.
/// </summary>
internal sealed class BrokerConnector
{
    private readonly ConnectOptionsProvider _optionsFactory;
    private readonly MqttWireFactory _wireFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _protocolVersion;
    private readonly MqttBasicAuthSettings? _basicAuth;
    private volatile bool _mqtt31Fallback;

    /// <summary>Initializes a new instance of the <see cref="BrokerConnector"/> class.</summary>
    /// <param name="optionsFactory">Builds each attempt's MQTTnet options.</param>
    /// <param name="wireFactory">Creates each attempt's wire.</param>
    /// <param name="client">The <c>client</c> options.</param>
    /// <param name="clientId">The client ID until an attempt's options say otherwise.</param>
    /// <param name="time">The clock of <c>client.connectTimeout</c>.</param>
    /// <param name="logger">The logger.</param>
    public BrokerConnector(ConnectOptionsProvider optionsFactory, MqttWireFactory wireFactory, MqttClientSettings client, string clientId, TimeProvider time, ILogger logger)
    {
        _optionsFactory = optionsFactory;
        _wireFactory = wireFactory;
        _time = time;
        _logger = logger;
        _protocolVersion = client.ProtocolVersion;
        _basicAuth = client.BasicAuth;
        ClientId = clientId;
    }

    /// <summary>Gets the client ID of the last attempt.</summary>
    public string ClientId { get; private set; }

    /// <summary>Makes one connection attempt (two when protocol version 0 falls back to 3.1).</summary>
    /// <param name="server">The broker to connect to.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The connected connection (not receiving yet), or why there is none.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<(MqttConnection? Connection, MqttDeviceClientException? Error)> ConnectAsync(ServerAddress server, CancellationToken cancellationToken)
    {
        while (true)
        {
            MqttClientOptions options;
            try
            {
                options = await _optionsFactory(server, _mqtt31Fallback, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                return Failed(new MqttDeviceClientException($"Preparing the connection of {ClientId} failed: {exception.Message}", exception), ClientId);
            }

            if (!string.IsNullOrEmpty(options.ClientId))
            {
                ClientId = options.ClientId;
            }

            var clientId = ClientId;
            Log.Connecting(_logger, server, clientId, options.ProtocolVersion);
            MqttConnection connection;
            MqttClientConnectResult result;
            var connectTimeout = options.Timeout;
            using (var timeout = connectTimeout == Timeout.InfiniteTimeSpan || connectTimeout <= TimeSpan.Zero ? null : new CancellationTokenSource(connectTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None))
            {
                connection = new MqttConnection(_wireFactory(options), options);
                try
                {
                    result = await connection.ConnectAsync(linked.Token).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    connection.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                    var message = timeout?.IsCancellationRequested == true
                        ? $"Connecting to the MQTT broker as {clientId} did not complete within client.connectTimeout {GoDuration.FromTimeSpan(connectTimeout)}."
                        : $"Connecting to the MQTT broker as {clientId} failed: {exception.Message}{GetHint(server, connection, exception)}";
                    return Failed(new MqttDeviceClientException(message, exception), clientId);
                }
            }

            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                Log.Connected(_logger, server, clientId, result.IsSessionPresent);
                return (connection, null);
            }

            connection.Dispose();
            if (result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion && _protocolVersion == 0 && !_mqtt31Fallback)
            {
                Log.FallingBackToMqtt31(_logger, clientId);
                _mqtt31Fallback = true;
                continue;
            }

            var code = (int)result.ResultCode;
            Log.ConnectRefused(_logger, clientId, result.ResultCode, code);
            var detail = string.IsNullOrEmpty(result.ReasonString) ? string.Empty : ", " + result.ReasonString;
            detail += string.IsNullOrEmpty(result.ServerReference) ? string.Empty : $", Server Reference {result.ServerReference}";
            var hint = options.ProtocolVersion == MqttProtocolVersion.V500 && code is > 0 and < 0x80 ? NotMqtt5Hint
                : result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized ? DescribeCredentials(options)
                : string.Empty;
            return (null, new MqttDeviceClientException($"The MQTT broker refused the connection of {clientId}: {result.ResultCode} ({code}){detail}.{hint}", code, null)
            {
                ServerReference = result.ServerReference,
            });
        }
    }

    /// <summary>Says which username was sent and where it and the password came from (never the password itself).</summary>
    private string DescribeCredentials(MqttClientOptions options)
    {
        if (_basicAuth is null)
        {
            return " No username or password was sent: client.basicAuth is not set.";
        }

        var username = options.Credentials?.GetUserName(options);
        var usernameSource = !string.IsNullOrEmpty(_basicAuth.Username) ? "client.basicAuth.username"
            : _basicAuth.UsernameRef is { } usernameRef ? $"client.basicAuth.usernameRef (reference \"{usernameRef.Name}\", item \"{usernameRef.Item}\")"
            : "nowhere";
        var passwordSource = !string.IsNullOrEmpty(_basicAuth.Password) ? "client.basicAuth.password"
            : _basicAuth.PasswordRef is { } passwordRef ? $"client.basicAuth.passwordRef (reference \"{passwordRef.Name}\", item \"{passwordRef.Item}\")"
            : "nowhere";
        return $" The username sent was \"{username}\", from {usernameSource}; the password came from {passwordSource}.";
    }

    private const string NotMqtt5Hint =
        " The broker does not seem to speak MQTT 5 (it answered with an MQTT 3.1.1 refusal, or closed the connection, as RabbitMQ 3.x and Aedes do); set client.protocolVersion to 4 (MQTT 3.1.1) or 0.";

    /// <summary>Says what a failure in the handshake most likely means: a TLS handshake with a plain port, or a broker without MQTT 5.</summary>
    private static string GetHint(ServerAddress server, MqttConnection connection, Exception exception)
    {
        if (!connection.Opened)
        {
            return server.UsesTls && BrokeTheHandshake(exception)
                ? $" The TLS handshake with {server} failed: if that port speaks plain MQTT, use tcp:// for it, or the broker's TLS port (8883 by default)."
                : string.Empty;
        }

        return connection.ProtocolVersion == MqttProtocolVersion.V500 ? NotMqtt5Hint : string.Empty;
    }

    /// <summary>Gets a value indicating whether the transport opened and then broke: the TLS handshake failed, or the peer reset or closed the socket (not a refused or unreachable address).</summary>
    private static bool BrokeTheHandshake(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case System.Security.Authentication.AuthenticationException or IOException and not FileNotFoundException:
                case System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Logs a failed attempt once, as a warning saying why (the exception in full at debug level).</summary>
    private (MqttConnection? Connection, MqttDeviceClientException? Error) Failed(MqttDeviceClientException error, string clientId)
    {
        Log.ConnectFailed(_logger, error.Message);
        if (error.InnerException is { } cause)
        {
            Log.ConnectFailedDetail(_logger, cause, clientId);
        }

        return (null, error);
    }
}
