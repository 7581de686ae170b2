namespace Octopus.Mqtt;

/// <summary>The names of the store types as documented (<c>Memory</c>, <c>File</c>), read in any case.</summary>
internal static class MqttStoreTypeNames
{
    internal const string Allowed = "Memory, File (any case)";

    /// <summary>Reads a store type; an empty name means the default, <see cref="MqttStoreType.Memory"/>.</summary>
    /// <param name="text">The name.</param>
    /// <param name="type">The store type.</param>
    /// <returns><see langword="true"/> when the name is a store type.</returns>
    public static bool TryParse(string text, out MqttStoreType type)
    {
        if (text.Length == 0 || text.Equals("Memory", StringComparison.OrdinalIgnoreCase))
        {
            type = MqttStoreType.Memory;
            return true;
        }

        type = MqttStoreType.File;
        return text.Equals("File", StringComparison.OrdinalIgnoreCase);
    }

    public static string Format(MqttStoreType type) => type switch
    {
        MqttStoreType.Memory => "Memory",
        MqttStoreType.File => "File",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
