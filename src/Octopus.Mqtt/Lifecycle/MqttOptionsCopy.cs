using System.Text.Json;

namespace Octopus.Mqtt;

/// <summary>Deep copies of options, so that what a device was configured with cannot change behind its back.</summary>
internal static class MqttOptionsCopy
{
    /// <summary>Copies every field of the options through their JSON form.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The copy.</returns>
    public static MqttOptions Create(MqttOptions options)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(options, MqttOptionsJsonContext.Default.MqttOptions);
        return JsonSerializer.Deserialize(json, MqttOptionsJsonContext.Default.MqttOptions) ?? new MqttOptions();
    }
}
