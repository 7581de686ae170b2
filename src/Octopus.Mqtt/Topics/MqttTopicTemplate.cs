namespace Octopus.Mqtt;

/// <summary>
/// A topic template of the Octopus MQTT extension, such as <c>cattle.io/octopus/:namespace/:name</c>, parsed once.
/// </summary>
/// <remarks>
/// <para>
/// The template is split on <c>/</c>; empty levels and lone <c>:</c> levels are dropped. A level that starts with
/// <c>:</c> is a keyword named by the rest of the level (<c>:path</c> is the keyword <c>path</c>); a <c>:</c>
/// anywhere else is ordinary text (<c>dev:name</c> is a literal level). <c>:namespace</c>, <c>:name</c> and
/// <c>:uid</c> take the device's values when the template is bound with <see cref="Bind"/>; <c>:path</c>,
/// <c>:operator</c> and any other keyword are filled when a topic is rendered.
/// </para>
/// <para>
/// A literal <c>+</c> or <c>#</c> level is allowed (for subscribing; <c>#</c> only as the last level), but such a
/// template cannot be rendered for publishing. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class MqttTopicTemplate
{
    private const string WillLevel = "$will";

    private readonly TemplateLevel[] _levels;

    private MqttTopicTemplate(string template, TemplateLevel[] levels, string? wildcard)
    {
        Template = template;
        _levels = levels;
        Wildcard = wildcard;
    }

    /// <summary>Gets the template text as it was given.</summary>
    public string Template { get; }

    internal ReadOnlySpan<TemplateLevel> Levels => _levels;

    /// <summary>Gets the first literal wildcard level (<c>+</c> or <c>#</c>), or <see langword="null"/> when there is none.</summary>
    internal string? Wildcard { get; }

    /// <summary>Parses a topic template.</summary>
    /// <param name="template">The template, e.g. <c>cattle.io/octopus/:operator/device/:namespace/:name</c>.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    /// <exception cref="MqttTopicException">
    /// The template has no levels, contains U+0000, has <c>+</c> or <c>#</c> inside a level, or has levels after <c>#</c>.
    /// </exception>
    public static MqttTopicTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Contains('\0', StringComparison.Ordinal))
        {
            throw TopicErrors.NullCharacter(template);
        }

        var levels = new List<TemplateLevel>();
        string? wildcard = null;
        foreach (var range in template.AsSpan().Split(TopicCharacters.Separator))
        {
            var text = template.AsSpan(range);
            if (text.IsEmpty || text is ":")
            {
                continue;
            }

            if (levels.Count > 0 && levels[^1] is { IsWildcard: true, Text: "#" })
            {
                throw TopicErrors.MultiLevelWildcardNotLast(template);
            }

            var level = text[0] == ':'
                ? new TemplateLevel(text[1..].ToString(), IsKeyword: true)
                : new TemplateLevel(text.ToString(), IsKeyword: false);
            if (level.IsWildcard)
            {
                wildcard ??= level.Text;
            }
            else if (!level.IsKeyword && text.IndexOfAny('+', '#') >= 0)
            {
                throw TopicErrors.WildcardInsideLevel(template, level.Text);
            }

            levels.Add(level);
        }

        return levels.Count == 0
            ? throw TopicErrors.NoLevels(template)
            : new MqttTopicTemplate(template, [.. levels], wildcard);
    }

    /// <summary>
    /// Binds the template to a device and the message options: <c>:namespace</c>, <c>:name</c> and <c>:uid</c> are
    /// fixed, and the topics that need no per-call render map are rendered once.
    /// </summary>
    /// <param name="device">The DeviceLink the topics belong to.</param>
    /// <param name="message">
    /// The message options: <see cref="MqttMessageSettings.Path"/>, <see cref="MqttMessageSettings.Operator"/> and
    /// <see cref="MqttMessageSettings.Will"/> are read (copied: later changes do not reach the bound topic);
    /// <see cref="MqttMessageSettings.Topic"/> is not read, this template is used. <see langword="null"/> means
    /// no path, no operator and no will.
    /// </param>
    /// <returns>The bound device topic.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    /// <exception cref="MqttTopicException">
    /// A keyword the template uses has a device or message value that would put <c>+</c>, <c>#</c> or U+0000 into
    /// the topic; or a will is configured and its topic cannot be rendered for publishing.
    /// </exception>
    public MqttDeviceTopic Bind(DeviceIdentity device, MqttMessageSettings? message = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var will = message?.Will;
        string? willTopic = null;
        if (will is not null)
        {
            var willTemplate = string.IsNullOrEmpty(will.Topic) ? WithLevel(WillLevel) : Parse(will.Topic);
            willTopic = new MqttDeviceTopic(willTemplate, device, message, willTopic: null).RenderForPublish();
        }

        return new MqttDeviceTopic(this, device, message, willTopic);
    }

    /// <summary>Returns the template text.</summary>
    /// <returns>The template text as it was given.</returns>
    public override string ToString() => Template;

    /// <summary>Returns this template with one more literal level at the end (the default will topic).</summary>
    private MqttTopicTemplate WithLevel(string level) =>
        new(Template + TopicCharacters.Separator + level, [.. _levels, new TemplateLevel(level, IsKeyword: false)], Wildcard);
}
