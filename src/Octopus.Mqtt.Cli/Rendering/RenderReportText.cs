using System.Globalization;

namespace Octopus.Mqtt.Cli;

/// <summary>Writes a <see cref="RenderReport"/> as an aligned listing, for people: <c>render</c> without <c>--json</c>.</summary>
internal static class RenderReportText
{
    public static void Write(TextWriter writer, RenderReport report)
    {
        var rows = new List<(string Label, string Value)>
        {
            ("device", $"{report.Device.Namespace}/{report.Device.Name}"),
            ("uid", report.Device.Uid),
            ("server", report.Servers is { } servers ? $"{string.Join(", then ", servers)} (tried in turn)" : report.Server),
            ("protocol version", ProtocolVersion(report.ProtocolVersion)),
            ("client ID", report.ClientId),
        };
        if (report.FallbackClientId is { } fallback)
        {
            rows.Add(("client ID on 3.1", $"{fallback} (when the broker refuses 3.1.1)"));
        }

        rows.Add(("topic template", report.Template));
        if (report.RenderMap.Count > 0)
        {
            rows.Add(("render map", string.Join(", ", report.RenderMap.Select(p => $"{p.Key}={p.Value}"))));
        }

        rows.Add(("publish topic", report.PublishTopic ?? $"none: {report.PublishError}"));
        rows.Add(("subscribe topic", report.SubscribeTopic ?? $"none: {report.SubscribeError}"));
        rows.Add(("will topic", report.WillTopic ?? "none (no will)"));
        rows.Add(("qos", report.Qos.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("retained", report.Retained ? "true" : "false"));
        if (report.Expiry is not null)
        {
            rows.Add(("expiry", report.Expiry));
        }

        if (report.CoalesceRetained)
        {
            rows.Add(("coalescing", "retained (a newer retained publish replaces a queued one)"));
        }

        var width = rows.Max(r => r.Label.Length) + 2;
        foreach (var (label, value) in rows)
        {
            writer.WriteLine($"{label.PadRight(width)}{value}");
        }
    }

    private static string ProtocolVersion(int version) => version switch
    {
        0 => "0 (MQTT 3.1.1, falling back to 3.1)",
        3 => "3 (MQTT 3.1)",
        4 => "4 (MQTT 3.1.1)",
        5 => "5 (MQTT 5.0)",
        _ => version.ToString(CultureInfo.InvariantCulture),
    };
}
