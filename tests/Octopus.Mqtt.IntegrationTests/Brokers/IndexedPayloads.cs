using System.Globalization;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// Payloads whose length names them: message <c>i</c> is <c>i + 1</c> bytes, so mosquitto's log (which gives a
/// PUBLISH's length, not its payload) tells which message arrived, and in which order.
/// </summary>
internal static class IndexedPayloads
{
    /// <summary>Gets the payload of message <paramref name="index"/>: its index padded to index + 1 characters.</summary>
    /// <param name="index">The message's index.</param>
    /// <returns>The payload text.</returns>
    public static string Payload(int index) => index.ToString(CultureInfo.InvariantCulture).PadLeft(index + 1, '0');

    /// <summary>Gets the part of mosquitto's log line that says message <paramref name="index"/> of <paramref name="topic"/> arrived.</summary>
    /// <param name="topic">The device's topic.</param>
    /// <param name="index">The message's index.</param>
    /// <returns>The text to wait for.</returns>
    public static string Received(string topic, int index) => $"'{topic}', ... ({index + 1} bytes))";

    /// <summary>Gets the indexes of a client's messages on a topic in the order the broker logged their arrival, duplicates included.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="clientId">The publishing client's ID.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="count">How many messages were indexed; longer payloads on the topic are not indexed ones.</param>
    /// <returns>The indexes.</returns>
    public static List<int> ArrivalsAt(MosquittoBroker broker, string clientId, string topic, int count)
    {
        var prefix = $"Received PUBLISH from {clientId} (";
        var quoted = $"'{topic}', ... (";
        var arrivals = new List<int>();
        foreach (var line in broker.LogLines)
        {
            var at = line.IndexOf(quoted, StringComparison.Ordinal);
            if (at >= 0 && line.Contains(prefix, StringComparison.Ordinal))
            {
                var length = line.AsSpan(at + quoted.Length);
                var bytes = int.Parse(length[..length.IndexOf(' ')], CultureInfo.InvariantCulture);
                if (bytes <= count)
                {
                    arrivals.Add(bytes - 1);
                }
            }
        }

        return arrivals;
    }
}
