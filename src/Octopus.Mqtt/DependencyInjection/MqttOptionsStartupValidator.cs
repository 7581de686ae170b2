using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// Validates the <see cref="MqttOptions"/> instances AddOctopusMqtt registered (others are skipped) with every rule of
/// <see cref="MqttOptionsValidator"/>, reporting every error at once and logging the warnings.
/// </summary>
internal sealed class MqttOptionsStartupValidator(IEnumerable<MqttOptionsRegistration> registrations, ILoggerFactory? loggerFactory = null)
    : IValidateOptions<MqttOptions>
{
    private readonly HashSet<string> _names = [.. registrations.Select(r => r.Name)];
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Octopus.Mqtt.Options");

    // IOptions and IOptionsMonitor each create the options: a warning is logged once, not once per creation.
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        if (!_names.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        foreach (var problem in MqttOptionsValidator.GetProblems(options))
        {
            if (problem.Severity == MqttOptionsProblemSeverity.Error)
            {
                errors.Add(MqttOptionsRegistration.Describe(name, problem.Message));
            }
            else
            {
                Warn(name, problem.Message);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void Warn(string name, string warning)
    {
        if (_warned.TryAdd(name + "\n" + warning, 0))
        {
            Log.ConfiguredOptionsWarning(_logger, MqttOptionsRegistration.DisplayName(name), warning);
        }
    }
}
