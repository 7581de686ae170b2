using CsCheck;

namespace Octopus.Mqtt.Tests.Topics;

/// <summary>Random templates, devices, message options and render maps against the rules and a plain model of them.</summary>
public sealed class MqttDeviceTopicPropertyTests
{
    // Rendered topics never hold U+0000, so this stands for "refused" without clashing with a topic.
    private const string Refused = "\0refused";

    private static readonly string[] MapKeys = ["path", "operator", "room", "zone", "namespace", "name", "uid"];

    // Values: ordinary text, separators, dot levels, colons, "null", and now and then a forbidden character.
    private static readonly Gen<string> Value = Gen.Frequency(
        (12, Gen.String[Gen.Char["ab./:-é"], 0, 6]),
        (2, Gen.OneOfConst("", "null", "/", "..", "x//y/", ":")),
        (1, Gen.String[Gen.Char["a/+#\0"], 1, 4]));

    private static readonly Gen<string> Level = Gen.Frequency(
        (6, Gen.String[Gen.Char["abc.-é"], 1, 4]),
        (6, Gen.OneOfConst(":namespace", ":name", ":uid", ":path", ":operator", ":room", ":zone")),
        (2, Gen.OneOfConst("", ":", "dev:name", ".", "..")));

    private static readonly Gen<string> Template = Level.Array[1, 7].Select(levels => string.Join('/', levels));

    private static readonly Gen<string> SubscribeTemplate = Gen.Frequency(
        (3, Template),
        (1, Gen.Select(Template, Gen.OneOfConst("+", "#"), (t, w) => w == "#" ? t + "/#" : "+/" + t)));

    private static readonly Gen<DeviceIdentity> Device =
        Gen.Select(Value, Value, Value, (ns, name, uid) => new DeviceIdentity(ns, name, uid));

    private static readonly Gen<MqttMessageSettings> Message = Gen.Select(Value, Value.Null(), Value.Null(), Gen.Bool)
        .Select((path, read, write, hasOperator) => new MqttMessageSettings
        {
            Path = path,
            Operator = hasOperator ? new MqttTopicOperator { Read = read, Write = write } : null,
        });

    private static readonly Gen<IReadOnlyDictionary<string, string>?[]> Maps = Gen.Frequency(
            (1, Gen.Const((IReadOnlyDictionary<string, string>?)null)),
            (6, Gen.Select(Gen.OneOfConst(MapKeys), Value).Array[0, 4]
                .Select(pairs => (IReadOnlyDictionary<string, string>?)pairs.GroupBy(p => p.Item1)
                    .ToDictionary(g => g.Key, g => g.Last().Item2))))
        .Array[0, 3];

    [Fact]
    public void RenderForPublish_AnyInput_MatchesTheModelOrRefusesWhereTheModelSaysInvalid() =>
        Gen.Select(Template, Device, Message, Maps).Sample((template, device, message, maps) =>
            CheckAgainstModel(template, device, message, maps, publish: true));

    [Fact]
    public void RenderForSubscribe_AnyInput_MatchesTheModelOrRefusesWhereTheModelSaysInvalid() =>
        Gen.Select(SubscribeTemplate, Device, Message, Maps).Sample((template, device, message, maps) =>
            CheckAgainstModel(template, device, message, maps, publish: false));

    [Fact]
    public void RenderForPublish_AnyInput_IsAValidTopicName() =>
        Gen.Select(Template, Device, Message, Maps).Sample((template, device, message, maps) =>
        {
            if (TryRender(template, device, message, maps, publish: true) is { } topic)
            {
                topic.Should().NotBeEmpty();
                topic.Should().NotStartWith("/").And.NotEndWith("/").And.NotContain("//");
                topic.Should().NotContainAny("+", "#", "\0");
            }
        });

    [Fact]
    public void RenderForSubscribe_AnyInput_HasWildcardsOnlyWhereTheTemplateHasThem() =>
        Gen.Select(SubscribeTemplate, Device, Message, Maps).Sample((template, device, message, maps) =>
        {
            if (TryRender(template, device, message, maps, publish: false) is { } topic)
            {
                topic.Should().NotBeEmpty();
                topic.Should().NotStartWith("/").And.NotEndWith("/").And.NotContain("//");
                topic.Should().NotContain("\0");
                var levels = topic.Split('/');
                levels.Where(l => l is not ("+" or "#")).Should().NotContain(l => l.Contains('+') || l.Contains('#'));
                levels.Where(l => l is "+" or "#").Should().Equal(template.Split('/').Where(l => l is "+" or "#"));
            }
        });

    [Fact]
    public void Render_RenderedTopicRenderedAgain_IsUnchanged() =>
        Gen.Select(SubscribeTemplate, Device, Message, Maps, Gen.Bool).Sample((template, device, message, maps, publish) =>
        {
            // A level that starts with ':' would be read as a keyword the second time: that is the template language.
            if (TryRender(template, device, message, maps, publish) is { } topic && !topic.Split('/').Any(l => l.StartsWith(':')))
            {
                var again = MqttTopicTemplate.Parse(topic).Bind(device, message);
                (publish ? again.RenderForPublish(maps) : again.RenderForSubscribe(maps)).Should().Be(topic);
            }
        });

    [Fact]
    public void Render_BoundFastPath_EqualsTheGeneralPath() =>
        Gen.Select(SubscribeTemplate, Device, Message, Maps, Gen.Bool).Sample((template, device, message, maps, publish) =>
        {
            MqttDeviceTopic bound;
            try
            {
                bound = MqttTopicTemplate.Parse(template).Bind(device, message);
            }
            catch (MqttTopicException)
            {
                return;
            }

            Outcome(() => publish ? bound.RenderForPublish() : bound.RenderForSubscribe())
                .Should().Be(Outcome(() => bound.RenderUncached(publish, [])));
            Outcome(() => publish ? bound.RenderForPublish(maps) : bound.RenderForSubscribe(maps))
                .Should().Be(Outcome(() => bound.RenderUncached(publish, maps)));
        });

    private static void CheckAgainstModel(
        string template, DeviceIdentity device, MqttMessageSettings message, IReadOnlyDictionary<string, string>?[] maps, bool publish)
    {
        var expected = Model(template, device, message, maps, publish);
        var actual = Outcome(() =>
        {
            var bound = MqttTopicTemplate.Parse(template).Bind(device, message);
            return publish ? bound.RenderForPublish(maps) : bound.RenderForSubscribe(maps);
        });

        actual.Should().Be(expected ?? Refused, $"template {template}, device {device}, path {message.Path}");
    }

    /// <summary>The rules of the contract, written plainly; <see langword="null"/> where the topic must be refused.</summary>
    private static string? Model(
        string template, DeviceIdentity device, MqttMessageSettings message, IReadOnlyDictionary<string, string>?[] maps, bool publish)
    {
        var values = new Dictionary<string, string> { ["path"] = message.Path };
        if (message.Operator is { } op && (publish ? op.Write : op.Read) is { } operatorValue)
        {
            values["operator"] = operatorValue == "null" ? "" : operatorValue;
        }

        foreach (var map in maps)
        {
            foreach (var (key, value) in map ?? new Dictionary<string, string>())
            {
                values[key] = value;
            }
        }

        values["namespace"] = device.Namespace;
        values["name"] = device.Name;
        values["uid"] = device.Uid;

        var levels = new List<string>();
        foreach (var level in template.Split('/'))
        {
            if (level is "" or ":")
            {
                continue;
            }

            if (level[0] != ':')
            {
                levels.Add(level);
                continue;
            }

            var value = values.GetValueOrDefault(level[1..], "");
            if (value.IndexOfAny(['+', '#', '\0']) >= 0)
            {
                return null;
            }

            levels.AddRange(value.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        if ((publish && levels.Any(l => l is "+" or "#")) || levels.Count == 0)
        {
            return null;
        }

        // Message options that would inject are refused at bind even when a render map replaces them.
        return PresetInjects(template, message) ? null : string.Join('/', levels);
    }

    private static bool PresetInjects(string template, MqttMessageSettings message)
    {
        var levels = template.Split('/');
        bool Injects(string? v) => v is not null && v.IndexOfAny(['+', '#', '\0']) >= 0;
        return (levels.Contains(":path") && Injects(message.Path)) ||
               (levels.Contains(":operator") && (Injects(message.Operator?.Read) || Injects(message.Operator?.Write)));
    }

    private static string? TryRender(
        string template, DeviceIdentity device, MqttMessageSettings message, IReadOnlyDictionary<string, string>?[] maps, bool publish)
    {
        try
        {
            var bound = MqttTopicTemplate.Parse(template).Bind(device, message);
            return publish ? bound.RenderForPublish(maps) : bound.RenderForSubscribe(maps);
        }
        catch (MqttTopicException)
        {
            return null;
        }
    }

    private static string Outcome(Func<string> render)
    {
        try
        {
            return render();
        }
        catch (MqttTopicException)
        {
            return Refused;
        }
    }
}
