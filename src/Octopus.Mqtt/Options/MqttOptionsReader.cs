using System.Globalization;
using System.Text.Json.Nodes;

namespace Octopus.Mqtt;

/// <summary>
/// Checks a document (JSON or configuration) against <see cref="MqttOptionsSchema"/> and turns it into canonical JSON:
/// documented names only, aliases resolved, values checked and written in their canonical form. Every problem is
/// collected; nothing stops at the first.
/// </summary>
/// <remarks>
/// From JSON, names are matched exactly and values must have their JSON type. From configuration, names are matched
/// in any case (as configuration keys are), values are strings read by the field's kind, durations may also be
/// <see cref="TimeSpan"/> strings, and lists are numbered sections. A <see langword="null"/> value counts as absent.
/// </remarks>
internal sealed class MqttOptionsReader
{
    private readonly bool _fromConfiguration;
    private readonly StringComparison _names;
    private readonly List<MqttOptionsProblem> _errors = [];
    private readonly List<MqttOptionsProblem> _warnings = [];

    public MqttOptionsReader(bool fromConfiguration)
    {
        _fromConfiguration = fromConfiguration;
        _names = fromConfiguration ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public IReadOnlyList<MqttOptionsProblem> Errors => _errors;

    public IReadOnlyList<MqttOptionsProblem> Warnings => _warnings;

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public void AddError(string path, string message) => _errors.Add(MqttOptionsProblem.Error(path, message));

    public void AddWarning(string path, string message) => _warnings.Add(MqttOptionsProblem.Warning(path, message));

    /// <summary>Reads the options object at <paramref name="path"/> (empty for a document that is the options).</summary>
    /// <param name="node">The node holding <c>{ client, message }</c>.</param>
    /// <param name="path">The path of the node.</param>
    /// <returns>The canonical JSON of the options.</returns>
    public JsonObject ReadOptions(OptionsSourceNode node, string path)
    {
        if (node.Kind is not (OptionsSourceKind.Object or OptionsSourceKind.Null) && !IsEmptySection(node))
        {
            AddError(path, path.Length == 0
                ? $"expected an object with the fields client and message, got {node.Describe()}"
                : $"{path}: expected an object with the fields client and message, got {node.Describe()}");
            return [];
        }

        return ReadObject(node, MqttOptionsSchema.Root, path) ?? [];
    }

    private JsonObject? ReadObject(OptionsSourceNode node, OptionsField field, string path)
    {
        if (node.Kind == OptionsSourceKind.Null || IsEmptySection(node))
        {
            return null;
        }

        if (node.Kind != OptionsSourceKind.Object)
        {
            AddError(path, $"{path}: expected an object, got {node.Describe()}");
            return null;
        }

        var result = new JsonObject();
        var read = new HashSet<OptionsField>();
        foreach (var (name, value) in node.Properties)
        {
            var spelledPath = Join(path, name);
            var child = Find(field, name, out var misspelt);
            if (child is null)
            {
                var suggestion = FieldNameSuggester.Suggest(name, field.Children.Select(c => c.Name));
                AddError(spelledPath, suggestion is null
                    ? $"{spelledPath} is not a known field"
                    : $"{spelledPath} is not a known field; did you mean {suggestion}?");
                continue;
            }

            if (misspelt)
            {
                if (node.Properties.Any(p => string.Equals(p.Key, child.Name, _names)))
                {
                    _warnings.Add(MqttOptionsProblem.Warning(
                        spelledPath,
                        $"{spelledPath} is a misspelling of {child.Name} (as in the Octopus documentation); ignored because {child.Name} is also set"));
                    continue;
                }

                _warnings.Add(MqttOptionsProblem.Warning(
                    spelledPath,
                    $"{spelledPath} is a misspelling of {child.Name} (as in the Octopus documentation); read as {child.Name}"));
            }

            if (!read.Add(child))
            {
                AddError(spelledPath, $"{spelledPath} is set more than once");
                continue;
            }

            var converted = ReadValue(value, child, Join(path, child.Name));
            if (converted is not null)
            {
                result[child.Name] = converted;
            }
        }

        return result;
    }

    private OptionsField? Find(OptionsField parent, string name, out bool misspelt)
    {
        misspelt = false;
        foreach (var child in parent.Children)
        {
            if (string.Equals(child.Name, name, _names))
            {
                return child;
            }
        }

        foreach (var child in parent.Children)
        {
            if (child.Misspelling is not null && string.Equals(child.Misspelling, name, _names))
            {
                misspelt = true;
                return child;
            }
        }

        return null;
    }

    private JsonNode? ReadValue(OptionsSourceNode node, OptionsField field, string path)
    {
        if (node.Kind == OptionsSourceKind.Null)
        {
            return null;
        }

        switch (field.Kind)
        {
            case OptionsFieldKind.Object:
                return ReadObject(node, field, path);
            case OptionsFieldKind.HeaderMap:
                return ReadHeaders(node, path);
            case OptionsFieldKind.StringList:
                return ReadStringList(node, path);
            case OptionsFieldKind.String when node.Kind == OptionsSourceKind.String:
                return JsonValue.Create(node.Text);
            case OptionsFieldKind.String:
                return Fail(path, $"{path}: expected a string, got {node.Describe(field.IsSecret)}");
            case OptionsFieldKind.Boolean:
                return ReadBoolean(node, path);
            case OptionsFieldKind.Integer:
                return ReadInteger(node, path);
            case OptionsFieldKind.Duration:
                return ReadDuration(node, path);
            case OptionsFieldKind.Base64 when node.Kind != OptionsSourceKind.String:
                return Fail(path, $"{path}: expected {WillContent.Allowed}, got {node.Describe()}");
            case OptionsFieldKind.Base64:
                return WillContent.TryDecode(node.Text!, out var bytes)
                    ? JsonValue.Create(Convert.ToBase64String(bytes))
                    : Fail(path, $"{path}: is not {WillContent.Allowed}");
            case OptionsFieldKind.StoreType:
                return node.Kind == OptionsSourceKind.String && MqttStoreTypeNames.TryParse(node.Text!, out var type)
                    ? JsonValue.Create(MqttStoreTypeNames.Format(type))
                    : Fail(path, $"{path}: {node.Describe()} is not a store type; allowed: {MqttStoreTypeNames.Allowed}");
            default:
                return Fail(path, $"{path}: cannot be read");
        }
    }

    private JsonValue? ReadBoolean(OptionsSourceNode node, string path)
    {
        var fits = node.Kind == OptionsSourceKind.Boolean
            || (_fromConfiguration && node.Kind == OptionsSourceKind.String);
        return fits && bool.TryParse(node.Text, out var value)
            ? JsonValue.Create(value)
            : Fail(path, $"{path}: expected true or false, got {node.Describe()}");
    }

    private JsonValue? ReadInteger(OptionsSourceNode node, string path)
    {
        var fits = node.Kind == OptionsSourceKind.Number
            || (_fromConfiguration && node.Kind == OptionsSourceKind.String);
        return fits && int.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? JsonValue.Create(value)
            : Fail(path, $"{path}: expected a whole number, got {node.Describe()}");
    }

    private JsonValue? ReadDuration(OptionsSourceNode node, string path)
    {
        if (node.Kind != OptionsSourceKind.String)
        {
            return Fail(path, $"{path}: expected {GoDurationParser.Allowed}, got {node.Describe()}");
        }

        if (_fromConfiguration)
        {
            try
            {
                return JsonValue.Create(GoDurationTypeConverter.ParseConfigurationValue(node.Text!).ToString());
            }
            catch (FormatException e)
            {
                return Fail(path, $"{path}: {e.Message}");
            }
        }

        if (GoDuration.TryParse(node.Text, out var duration, out var error))
        {
            return JsonValue.Create(duration.ToString());
        }

        // JSON takes Go durations only, as the Go version does; point a .NET habit to the Go form.
        if (node.Text!.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(node.Text, CultureInfo.InvariantCulture, out var span))
        {
            return Fail(path, $"{path}: \"{node.Text}\" is a TimeSpan, not a Go duration; write {GoDuration.FromTimeSpan(span)}");
        }

        return Fail(path, $"{path}: {error}");
    }

    private JsonObject? ReadHeaders(OptionsSourceNode node, string path)
    {
        if (IsEmptySection(node))
        {
            return null;
        }

        if (node.Kind != OptionsSourceKind.Object)
        {
            AddError(path, $"{path}: expected an object of header names and their lists of values, got {node.Describe()}");
            return null;
        }

        var result = new JsonObject();
        foreach (var (name, value) in node.Properties)
        {
            var headerPath = Join(path, name);
            if (result.ContainsKey(name))
            {
                AddError(headerPath, $"{headerPath} is set more than once");
                continue;
            }

            var values = ReadStringList(value, headerPath);
            if (values is not null)
            {
                result[name] = values;
            }
        }

        return result;
    }

    private JsonArray? ReadStringList(OptionsSourceNode node, string path)
    {
        IReadOnlyList<OptionsSourceNode> items;
        if (node.Kind == OptionsSourceKind.Null)
        {
            return null;
        }
        else if (node.Kind == OptionsSourceKind.Array)
        {
            items = node.Items;
        }
        else if (_fromConfiguration && node.Kind == OptionsSourceKind.String)
        {
            // One value given without an index (e.g. from an environment variable).
            items = [node];
        }
        else if (_fromConfiguration && node.Kind == OptionsSourceKind.Object && IsList(node))
        {
            items = node.Properties
                .OrderBy(p => int.Parse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture))
                .Select(p => p.Value)
                .ToArray();
        }
        else
        {
            AddError(path, $"{path}: expected a list of strings, got {node.Describe()}");
            return null;
        }

        var result = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Kind == OptionsSourceKind.String)
            {
                result.Add((JsonNode?)JsonValue.Create(items[i].Text));
            }
            else
            {
                AddError(path, $"{path}[{i}]: expected a string, got {items[i].Describe()}");
            }
        }

        return result;
    }

    private static bool IsList(OptionsSourceNode node) =>
        node.Properties.All(p => int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>An empty configuration value where an object is expected counts as an absent object.</summary>
    private bool IsEmptySection(OptionsSourceNode node) =>
        _fromConfiguration && node.Kind == OptionsSourceKind.String && node.Text!.Length == 0;

    private JsonValue? Fail(string path, string message)
    {
        AddError(path, message);
        return null;
    }
}
