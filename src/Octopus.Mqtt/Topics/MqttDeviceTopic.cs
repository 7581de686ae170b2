using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// A topic template bound to a device and its message options: renders the device's publish and subscribe
/// topics, and carries its will topic and client IDs. Create one with <see cref="MqttTopicTemplate.Bind"/>.
/// </summary>
/// <remarks>
/// <para>
/// <c>:namespace</c>, <c>:name</c> and <c>:uid</c> are fixed by the device; render maps cannot change them.
/// <c>:path</c>, <c>:operator</c> and other keywords take their value from the message options
/// (<c>path</c>; <c>operator.write</c> when publishing, <c>operator.read</c> when subscribing, where the literal
/// value "null" means empty), then from each render map in order: the last map that holds the keyword's name
/// (without the colon) wins, and an empty string blanks it. A keyword without a value, or with an empty value,
/// vanishes with its level; a value holding <c>/</c> becomes several levels, its empty levels dropped.
/// </para>
/// <para>
/// The topics that need no render map are rendered once, at bind: <see cref="RenderForPublish"/> and
/// <see cref="RenderForSubscribe"/> without maps return the same string every time, without allocating.
/// Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class MqttDeviceTopic
{
    private readonly BoundPart[] _parts;
    private readonly int _keywordCount;
    private readonly string _path;
    private readonly string _readOperator;
    private readonly string _writeOperator;
    private readonly string? _publishTopic;
    private readonly string? _subscribeTopic;

    internal MqttDeviceTopic(MqttTopicTemplate template, DeviceIdentity device, MqttMessageSettings? message, string? willTopic)
    {
        Template = template;
        Device = device;
        WillTopic = willTopic;
        _path = message?.Path ?? string.Empty;
        _readOperator = OperatorValue(message?.Operator?.Read);
        _writeOperator = OperatorValue(message?.Operator?.Write);
        _parts = BindParts(template, device, out _keywordCount);
        ClientId = MqttClientId.Create(device.Uid);
        ClientIdForMqtt31 = MqttClientId.CreateForMqtt31(device.Uid);
        _publishTopic = TryRenderOnce(publish: true);
        _subscribeTopic = TryRenderOnce(publish: false);
    }

    /// <summary>Gets the template this topic was bound from.</summary>
    public MqttTopicTemplate Template { get; }

    /// <summary>Gets the device this topic was bound to.</summary>
    public DeviceIdentity Device { get; }

    /// <summary>
    /// Gets the will topic, rendered for publishing when bound: <c>message.will.topic</c> when set, otherwise
    /// this template followed by <c>/$will</c>; <see langword="null"/> when the message options have no will.
    /// </summary>
    public string? WillTopic { get; }

    /// <summary>
    /// Gets the client ID for MQTT 3.1.1 and 5.0: <c>octopus-</c> followed by the device UID without hyphens.
    /// See <see cref="MqttClientId.Create"/>.
    /// </summary>
    public string ClientId { get; }

    /// <summary>
    /// Gets the client ID for MQTT 3.1 (at most 23 characters), also used when protocol version 0 falls back to 3.1.
    /// See <see cref="MqttClientId.CreateForMqtt31"/>.
    /// </summary>
    public string ClientIdForMqtt31 { get; }

    /// <summary>Renders the topic to publish to.</summary>
    /// <param name="renders">
    /// Zero or more render maps, applied in order (the last wins), from a keyword's name without the colon
    /// (<c>path</c>, <c>operator</c> or a custom name) to its value; <see langword="null"/> maps are skipped.
    /// Without maps, or when no map changes a keyword the template uses, the topic rendered at bind is returned
    /// and nothing is allocated.
    /// </param>
    /// <returns>The MQTT topic name: no empty level, no leading or trailing <c>/</c>, no wildcard.</returns>
    /// <exception cref="MqttTopicException">
    /// The template has a wildcard level; a value would put <c>+</c>, <c>#</c> or U+0000 into the topic; the topic
    /// is empty; or it is longer than 65535 UTF-8 bytes.
    /// </exception>
    public string RenderForPublish(params ReadOnlySpan<IReadOnlyDictionary<string, string>?> renders) =>
        renders.IsEmpty && _publishTopic is not null ? _publishTopic : Render(publish: true, renders);

    /// <summary>Renders the topic filter to subscribe to.</summary>
    /// <param name="renders">
    /// Zero or more render maps, applied in order (the last wins), from a keyword's name without the colon
    /// (<c>path</c>, <c>operator</c> or a custom name) to its value; <see langword="null"/> maps are skipped.
    /// Without maps, or when no map changes a keyword the template uses, the topic rendered at bind is returned
    /// and nothing is allocated.
    /// </param>
    /// <returns>
    /// The MQTT topic filter: no empty level, no leading or trailing <c>/</c>; wildcards only where the template
    /// has literal <c>+</c> or <c>#</c> levels.
    /// </returns>
    /// <exception cref="MqttTopicException">
    /// A value would put <c>+</c>, <c>#</c> or U+0000 into the topic; the topic is empty; or it is longer than
    /// 65535 UTF-8 bytes.
    /// </exception>
    public string RenderForSubscribe(params ReadOnlySpan<IReadOnlyDictionary<string, string>?> renders) =>
        renders.IsEmpty && _subscribeTopic is not null ? _subscribeTopic : Render(publish: false, renders);

    /// <summary>Returns the template text.</summary>
    /// <returns>The template text as it was given.</returns>
    public override string ToString() => Template.Template;

    /// <summary>Renders through the general path, never returning the topic cached at bind (tests compare both).</summary>
    internal string RenderUncached(bool publish, ReadOnlySpan<IReadOnlyDictionary<string, string>?> renders) =>
        Render(publish, renders, useCache: false);

    private string Render(bool publish, ReadOnlySpan<IReadOnlyDictionary<string, string>?> renders, bool useCache = true)
    {
        if (publish && Template.Wildcard is { } wildcard)
        {
            TopicErrors.ThrowWildcardInPublish(Template.Template, wildcard);
        }

        var cached = useCache ? (publish ? _publishTopic : _subscribeTopic) : null;
        if (_keywordCount == 0 && cached is not null)
        {
            return cached;
        }

        // First resolve every keyword and measure the topic, then write it once into a string of the exact length.
        var stackValues = default(KeywordValues);
        Span<string?> values = _keywordCount <= KeywordValues.Capacity ? stackValues : new string?[_keywordCount];
        var changed = false;
        var multiLevel = 0UL;
        var length = 0;
        var keyword = 0;
        foreach (var part in _parts)
        {
            if (part.Kind == BoundPartKind.Literal)
            {
                length = TopicLevels.MeasureLevel(length, part.Text.Length);
                continue;
            }

            var preset = Preset(part.Kind, publish);
            var value = preset;
            foreach (var render in renders)
            {
                if (render is not null && render.TryGetValue(part.Text, out var overridden))
                {
                    value = overridden;
                }
            }

            values[keyword++] = value;
            if (string.IsNullOrEmpty(value))
            {
                changed |= !string.IsNullOrEmpty(preset);
                continue;
            }

            changed |= !string.Equals(value, preset, StringComparison.Ordinal);
            if (value.AsSpan().IndexOfAny(TopicCharacters.ForbiddenOrSeparator) < 0)
            {
                // The common case: one level, nothing to split or refuse.
                length = TopicLevels.MeasureLevel(length, value.Length);
                continue;
            }

            if (value.AsSpan().ContainsAny(TopicCharacters.Forbidden))
            {
                TopicErrors.ThrowInjection(part.Text, value);
            }

            multiLevel |= 1UL << Math.Min(keyword - 1, 63);
            length = TopicLevels.MeasureValue(length, value);
        }

        if (!changed && cached is not null)
        {
            return cached;
        }

        if (length == 0)
        {
            TopicErrors.ThrowEmpty(Template.Template, publish);
        }

        var topic = string.Create(length, new RenderState(_parts, values[..keyword], multiLevel), static (destination, state) => state.Write(destination));
        if (length > TopicCharacters.SafeCharCount && Encoding.UTF8.GetByteCount(topic) is var byteCount and > TopicCharacters.MaxUtf8Bytes)
        {
            TopicErrors.ThrowTooLong(Template.Template, publish, byteCount);
        }

        return topic;
    }

    private string? Preset(BoundPartKind kind, bool publish) => kind switch
    {
        BoundPartKind.Path => _path,
        BoundPartKind.Operator => publish ? _writeOperator : _readOperator,
        _ => null,
    };

    /// <summary>Renders a topic that needs no render map, once at bind; a template that needs one gives <see langword="null"/>.</summary>
    private string? TryRenderOnce(bool publish)
    {
        if (publish && Template.Wildcard is not null)
        {
            return null;
        }

        try
        {
            return Render(publish, [], useCache: false);
        }
        catch (MqttTopicException)
        {
            // Empty or too long without render maps: rendering with no maps throws the same error at each call.
            return null;
        }
    }

    private BoundPart[] BindParts(MqttTopicTemplate template, DeviceIdentity device, out int keywordCount)
    {
        var parts = new List<BoundPart>();
        var literal = new List<string>();
        keywordCount = 0;
        foreach (var level in template.Levels)
        {
            if (!level.IsKeyword)
            {
                literal.Add(level.Text);
                continue;
            }

            var kind = BoundPartKind.Custom;
            switch (level.Text)
            {
                case "namespace":
                    AddFixedLevels(literal, level.Text, device.Namespace);
                    continue;
                case "name":
                    AddFixedLevels(literal, level.Text, device.Name);
                    continue;
                case "uid":
                    AddFixedLevels(literal, level.Text, device.Uid);
                    continue;
                case "path":
                    kind = BoundPartKind.Path;
                    break;
                case "operator":
                    kind = BoundPartKind.Operator;
                    break;
            }

            // Values from the message options are configuration: refuse an injection at bind, not at each publish.
            foreach (var preset in (ReadOnlySpan<string?>)[Preset(kind, publish: true), Preset(kind, publish: false)])
            {
                if (preset is not null && preset.AsSpan().ContainsAny(TopicCharacters.Forbidden))
                {
                    throw TopicErrors.Injection(level.Text, preset);
                }
            }

            // The literal "path" and "operator" are interned, as the keys of most render maps are: lookups compare references.
            var name = kind switch
            {
                BoundPartKind.Path => "path",
                BoundPartKind.Operator => "operator",
                _ => level.Text,
            };
            FlushLiteral(parts, literal);
            parts.Add(new BoundPart(name, kind));
            keywordCount++;
        }

        FlushLiteral(parts, literal);
        return [.. parts];
    }

    private static void AddFixedLevels(List<string> literal, string keyword, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().ContainsAny(TopicCharacters.Forbidden))
        {
            throw TopicErrors.Injection(keyword, value);
        }

        literal.AddRange(value.Split(TopicCharacters.Separator, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void FlushLiteral(List<BoundPart> parts, List<string> literal)
    {
        if (literal.Count > 0)
        {
            parts.Add(new BoundPart(string.Join(TopicCharacters.Separator, literal), BoundPartKind.Literal));
            literal.Clear();
        }
    }

    /// <summary>The value of <c>:operator</c> from the options: absent and the literal "null" both mean empty.</summary>
    private static string OperatorValue(string? value) => value is null or "null" ? string.Empty : value;
}
