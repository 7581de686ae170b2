using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Octopus.Mqtt.Cli;

/// <summary>Writes a <see cref="RenderReport"/> as one JSON object, for scripts: <c>render --json</c>.</summary>
internal static class RenderReportJson
{
    public static string Write(RenderReport report)
    {
        var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            writer.WriteString("clientId", report.ClientId);
            writer.WriteString("publishTopic", report.PublishTopic);
            writer.WriteString("publishError", report.PublishError);
            writer.WriteString("subscribeTopic", report.SubscribeTopic);
            writer.WriteString("subscribeError", report.SubscribeError);
            writer.WriteString("willTopic", report.WillTopic);
            writer.WriteNumber("qos", report.Qos);
            writer.WriteBoolean("retained", report.Retained);
            if (report.Expiry is not null)
            {
                writer.WriteString("expiry", report.Expiry);
            }

            if (report.CoalesceRetained)
            {
                writer.WriteBoolean("coalesceRetained", true);
            }
            writer.WriteNumber("protocolVersion", report.ProtocolVersion);
            writer.WriteString("server", report.Server);
            if (report.Servers is { } servers)
            {
                writer.WriteStartArray("servers");
                foreach (var server in servers)
                {
                    writer.WriteStringValue(server);
                }

                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
