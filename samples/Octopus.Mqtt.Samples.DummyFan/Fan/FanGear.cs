using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The gear of the dummy fan, as its DeviceLink's spec and its status write it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FanGear>))]
internal enum FanGear
{
    /// <summary>Starts at 0 and rises by one every 3 seconds, up to 100.</summary>
    [JsonStringEnumMemberName("slow")]
    Slow,

    /// <summary>Starts at 100 and rises by one every 2 seconds, up to 200.</summary>
    [JsonStringEnumMemberName("middle")]
    Middle,

    /// <summary>Starts at 200 and rises by one every second, up to 300.</summary>
    [JsonStringEnumMemberName("fast")]
    Fast,
}
