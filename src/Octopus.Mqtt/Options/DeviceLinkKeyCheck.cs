namespace Octopus.Mqtt;

/// <summary>
/// Warns about keys on the way to a DeviceLink's <c>spec.template.spec.extension.mqtt</c> that look like a misspelling of
/// it: a DeviceLink without that exact path has MQTT off, which would otherwise pass without a word.
/// </summary>
internal static class DeviceLinkKeyCheck
{
    private const string Mqtt = "mqtt";

    /// <summary>When <paramref name="parent"/> lacks <paramref name="expected"/>, warns about each key close to it.</summary>
    /// <param name="reader">Collects the warnings.</param>
    /// <param name="parent">The object that should hold <paramref name="expected"/>.</param>
    /// <param name="parentPath">The path of <paramref name="parent"/>.</param>
    /// <param name="expected">The key the path to the extension goes through.</param>
    /// <param name="extensionPath">The full path of the MQTT extension, for the message.</param>
    public static void WarnIfMisspelt(MqttOptionsReader reader, OptionsSourceNode parent, string parentPath, string expected, string extensionPath)
    {
        if (parent.Kind != OptionsSourceKind.Object || Has(parent, expected))
        {
            return;
        }

        foreach (var (key, _) in parent.Properties)
        {
            if (FieldNameSuggester.Suggest(key, [expected]) is not null)
            {
                var path = MqttOptionsReader.Join(parentPath, key);
                reader.AddWarning(path, $"{path}: is not a known field; did you mean {expected}? Without {extensionPath} the MQTT extension is off");
            }
        }
    }

    /// <summary>Warns about every key of the <c>extension</c> object other than <c>mqtt</c>.</summary>
    /// <param name="reader">Collects the warnings.</param>
    /// <param name="extension">The <c>extension</c> object.</param>
    /// <param name="extensionPath">The path of <paramref name="extension"/>.</param>
    public static void WarnAboutOtherExtensions(MqttOptionsReader reader, OptionsSourceNode extension, string extensionPath)
    {
        if (extension.Kind != OptionsSourceKind.Object)
        {
            return;
        }

        var hasMqtt = Has(extension, Mqtt);
        foreach (var (key, _) in extension.Properties)
        {
            if (key == Mqtt)
            {
                continue;
            }

            var path = MqttOptionsReader.Join(extensionPath, key);
            var hint = !hasMqtt && FieldNameSuggester.Suggest(key, [Mqtt]) is not null
                ? $"did you mean {Mqtt}? Without {MqttOptionsReader.Join(extensionPath, Mqtt)} the MQTT extension is off"
                : $"only {Mqtt} is read";
            reader.AddWarning(path, $"{path}: is not a known extension; {hint}");
        }
    }

    private static bool Has(OptionsSourceNode node, string key)
    {
        foreach (var (name, _) in node.Properties)
        {
            if (name == key)
            {
                return true;
            }
        }

        return false;
    }
}
