using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// Binds the registered configuration sections to their <see cref="MqttOptions"/> with
/// <see cref="MqttOptionsConfiguration"/> (unknown keys refused with the closest known one, the documentation's
/// misspellings read with a warning, URL-safe base64), logging the warnings. A section that cannot be read fails the
/// options like a validation failure, with every problem.
/// </summary>
internal sealed class MqttOptionsSetup(IEnumerable<MqttOptionsRegistration> registrations, ILoggerFactory? loggerFactory = null)
    : IConfigureNamedOptions<MqttOptions>
{
    private readonly MqttOptionsRegistration[] _registrations = [.. registrations];
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Octopus.Mqtt.Options");

    // IOptions and IOptionsMonitor each create the options: a warning is logged once, not once per creation.
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);

    public void Configure(MqttOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        foreach (var registration in _registrations)
        {
            if (registration.Name != name || registration.Section is not { } section)
            {
                continue;
            }

            IReadOnlyList<MqttOptionsProblem> warnings;
            try
            {
                warnings = MqttOptionsConfiguration.Bind(section, options);
            }
            catch (MqttOptionsException exception)
            {
                foreach (var warning in exception.Warnings)
                {
                    Warn(name, warning.Message);
                }

                throw new OptionsValidationException(
                    name,
                    typeof(MqttOptions),
                    [.. exception.Problems.Select(p => MqttOptionsRegistration.Describe(name, p.Message))]);
            }

            foreach (var warning in warnings)
            {
                Warn(name, warning.Message);
            }
        }
    }

    private void Warn(string name, string warning)
    {
        if (_warned.TryAdd(name + "\n" + warning, 0))
        {
            Log.ConfiguredOptionsWarning(_logger, MqttOptionsRegistration.DisplayName(name), warning);
        }
    }
}
