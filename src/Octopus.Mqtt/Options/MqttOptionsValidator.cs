using System.Globalization;
using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// Validates MQTT options in one pass and reports every problem, each naming the field's path, its value (never a
/// secret's value) and what is allowed, e.g.
/// <c>client.server: "ftp://x" has scheme "ftp"; allowed: tcp, ssl, tls, tcps, ws, wss, unix</c>.
/// </summary>
/// <remarks>
/// <see cref="Validate"/> fails on errors only; <see cref="GetProblems"/> also returns the warnings (a literal and its
/// reference both set, <c>resumeSubs</c> without effect, an <c>operator.read</c> or <c>write</c> no topic template
/// uses), for a caller that logs or prints them.
/// </remarks>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    private const long MaxKeepAliveSeconds = 65535;

    /// <summary>The longest duration a .NET timer accepts (4294967294 ms, about 49.7 days): every duration's upper bound.</summary>
    private static readonly GoDuration MaxTimerDuration = GoDuration.FromMilliseconds(uint.MaxValue - 1L);

    /// <summary>The longest message expiry interval an MQTT 5 PUBLISH can carry.</summary>
    private static readonly GoDuration MaxExpiry = GoDuration.FromSeconds(uint.MaxValue);

    /// <summary>Validates the options.</summary>
    /// <param name="name">The name of the options instance (not used: every instance follows the same rules).</param>
    /// <param name="options">The options.</param>
    /// <returns>Success, or a failure listing every error message.</returns>
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetProblems(options)
            .Where(p => p.Severity == MqttOptionsProblemSeverity.Error)
            .Select(p => p.Message)
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Returns every error and warning of the options, in the order of their fields.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when the options are valid and raise no warning.</returns>
    public static IReadOnlyList<MqttOptionsProblem> GetProblems(MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<MqttOptionsProblem>();
        if (options.Client is null)
        {
            Error(problems, "client", "is required");
        }
        else
        {
            ValidateClient(problems, options.Client);
        }

        if (options.Message is null)
        {
            Error(problems, "message", "is required");
        }
        else
        {
            ValidateMessage(problems, options.Message);
        }

        return problems;
    }

    private static void ValidateClient(List<MqttOptionsProblem> problems, MqttClientSettings client)
    {
        if (!ServerAddress.TryParse(client.Server, out _, out var serverError))
        {
            Error(problems, "client.server", serverError[ServerAddress.ErrorPrefix.Length..]);
        }

        if (client.Servers is { } servers)
        {
            for (var i = 0; i < servers.Count; i++)
            {
                if (!ServerAddress.TryParse(servers[i], out _, out var error))
                {
                    Error(problems, $"client.servers[{Number(i)}]", error[ServerAddress.ErrorPrefix.Length..]);
                }
            }
        }

        if (client.ProtocolVersion is not (0 or 3 or 4 or 5))
        {
            Error(problems, "client.protocolVersion", $"{Number(client.ProtocolVersion)} is not supported; allowed: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1), 5 (5.0)");
        }

        if (client.BasicAuth is { } auth)
        {
            ValidateSecret(problems, "client.basicAuth", "username", auth.Username, auth.UsernameRef, required: true);
            ValidateSecret(problems, "client.basicAuth", "password", auth.Password, auth.PasswordRef, required: true);
        }

        if (client.TlsConfig is { } tls)
        {
            ValidateTls(problems, tls);
        }

        ValidateStore(problems, client.Store);
        if (client.ResumeSubs && client.CleanSession)
        {
            Warning(problems, "client.resumeSubs", "has no effect while client.cleanSession is true");
        }

        Duration(problems, "client.connectTimeout", client.ConnectTimeout);
        if (NotNegative(problems, "client.keepAlive", client.KeepAlive) && client.KeepAlive > GoDuration.FromSeconds(MaxKeepAliveSeconds))
        {
            Error(problems, "client.keepAlive", $"\"{client.KeepAlive}\" is too long; allowed: up to 65535s ({GoDuration.FromSeconds(MaxKeepAliveSeconds)}), the most MQTT can carry");
        }

        Duration(problems, "client.pingTimeout", client.PingTimeout);
        Duration(problems, "client.writeTimeout", client.WriteTimeout);
        Duration(problems, "client.waitTimeout", client.WaitTimeout);
        Duration(problems, "client.disconnectQuiesce", client.DisconnectQuiesce);
        Duration(problems, "client.maxReconnectInterval", client.MaxReconnectInterval);
        Duration(problems, "client.stableConnectionTime", client.StableConnectionTime);
        if (client.MessageChannelDepth < 1)
        {
            Error(problems, "client.messageChannelDepth", $"{Number(client.MessageChannelDepth)} is too small; allowed: 1 or more");
        }

        if (client.HttpHeaders is { } headers)
        {
            foreach (var (name, values) in headers)
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    Error(problems, "client.httpHeaders", $"has a header with the name \"{name}\"; allowed: a non-empty header name");
                }
                else if (values is null || values.Any(v => v is null))
                {
                    Error(problems, $"client.httpHeaders.{name}", "has a null value; allowed: a list of strings");
                }
            }
        }
    }

    private static void ValidateTls(List<MqttOptionsProblem> problems, MqttTlsSettings tls)
    {
        const string Path = "client.tlsConfig";
        ValidateSecret(problems, Path, "caFilePEM", tls.CaFilePEM, tls.CaFilePEMRef, required: false);
        var hasCertificate = ValidateSecret(problems, Path, "certFilePEM", tls.CertFilePEM, tls.CertFilePEMRef, required: false);
        var hasKey = ValidateSecret(problems, Path, "keyFilePEM", tls.KeyFilePEM, tls.KeyFilePEMRef, required: false);
        if (hasCertificate && !hasKey)
        {
            Error(problems, $"{Path}.keyFilePEM", "is required with a client certificate; set keyFilePEM or keyFilePEMRef");
        }
        else if (hasKey && !hasCertificate)
        {
            Error(problems, $"{Path}.certFilePEM", "is required with a client key; set certFilePEM or certFilePEMRef");
        }
    }

    /// <summary>Checks a literal and its reference; returns whether either is set.</summary>
    private static bool ValidateSecret(
        List<MqttOptionsProblem> problems,
        string parent,
        string name,
        string? literal,
        DeviceLinkReference? reference,
        bool required)
    {
        var path = $"{parent}.{name}";
        var referencePath = $"{path}Ref";
        if (reference is not null)
        {
            if (string.IsNullOrEmpty(reference.Name))
            {
                Error(problems, $"{referencePath}.name", "is required (the name of one of the DeviceLink's references)");
            }

            if (string.IsNullOrEmpty(reference.Item))
            {
                Error(problems, $"{referencePath}.item", "is required (the key of the item inside the reference)");
            }

            if (!string.IsNullOrEmpty(literal))
            {
                Warning(problems, referencePath, $"is ignored because {path} is set (a literal value wins over its reference)");
            }
        }

        var isSet = !string.IsNullOrEmpty(literal) || reference is not null;
        if (required && !isSet)
        {
            Error(problems, path, $"is required; set {name} or {name}Ref");
        }

        return isSet;
    }

    private static void ValidateStore(List<MqttOptionsProblem> problems, MqttStoreSettings? store)
    {
        if (store is null)
        {
            Error(problems, "client.store", "is required");
            return;
        }

        if (!Enum.IsDefined(store.Type))
        {
            Error(problems, "client.store.type", $"{Number((int)store.Type)} is not a store type; allowed: Memory, File");
        }

        var prefix = store.DirectoryPrefix ?? string.Empty;
        if (!prefix.StartsWith('/') && !System.IO.Path.IsPathFullyQualified(prefix))
        {
            Error(problems, "client.store.directoryPrefix", $"\"{prefix}\" is not an absolute path; allowed: an absolute directory such as {MqttStoreSettings.DefaultDirectoryPrefix}");
        }
        else if (prefix.EndsWith('/') || prefix.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            Error(problems, "client.store.directoryPrefix", $"\"{prefix}\" ends with \"/\"; allowed: an absolute directory without a trailing \"/\"");
        }
    }

    private static void ValidateMessage(List<MqttOptionsProblem> problems, MqttMessageSettings message)
    {
        if (string.IsNullOrEmpty(message.Topic))
        {
            Error(problems, "message.topic", "is required; e.g. cattle.io/octopus/:namespace/:name");
        }
        else if (message.Topic.EndsWith('/'))
        {
            Error(problems, "message.topic", $"\"{message.Topic}\" ends with \"/\"; allowed: a topic template without a trailing \"/\"");
        }

        Qos(problems, "message.qos", message.Qos);
        if (NotNegative(problems, "message.expiry", message.Expiry) && message.Expiry > MaxExpiry)
        {
            Error(problems, "message.expiry", $"\"{message.Expiry}\" is too long; allowed: up to {MaxExpiry} (4294967295s), the most an MQTT 5 message expiry interval can carry");
        }

        TopicOperatorCheck.Check(problems, message);
        if (message.Will is { } will)
        {
            if (!string.IsNullOrEmpty(will.Topic))
            {
                if (will.Topic.EndsWith('/'))
                {
                    Error(problems, "message.will.topic", $"\"{will.Topic}\" ends with \"/\"; allowed: a topic template without a trailing \"/\"");
                }

                var wildcard = will.Topic.IndexOfAny(['+', '#']);
                if (wildcard >= 0)
                {
                    Error(problems, "message.will.topic", $"\"{will.Topic}\" holds the wildcard \"{will.Topic[wildcard]}\"; allowed: a topic without + or #, as the will is published");
                }
            }

            Qos(problems, "message.will.qos", will.Qos);
        }
    }

    private static void Qos(List<MqttOptionsProblem> problems, string path, MqttQos qos)
    {
        if (qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce or MqttQos.ExactlyOnce))
        {
            Error(problems, path, $"{Number((int)qos)} is not a QoS; allowed: 0, 1, 2");
        }
    }

    private static void Duration(List<MqttOptionsProblem> problems, string path, GoDuration duration)
    {
        if (NotNegative(problems, path, duration) && duration > MaxTimerDuration)
        {
            Error(problems, path, $"\"{duration}\" is too long; allowed: up to {MaxTimerDuration} (about 49.7 days), the longest a timer accepts");
        }
    }

    private static bool NotNegative(List<MqttOptionsProblem> problems, string path, GoDuration duration)
    {
        if (duration.IsNegative)
        {
            Error(problems, path, $"\"{duration}\" is negative; allowed: 0s or more");
            return false;
        }

        return true;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Error(List<MqttOptionsProblem> problems, string path, string detail) =>
        problems.Add(MqttOptionsProblem.Error(path, $"{path}: {detail}"));

    private static void Warning(List<MqttOptionsProblem> problems, string path, string detail) =>
        problems.Add(MqttOptionsProblem.Warning(path, $"{path}: {detail}"));
}
