namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// One workload: QoS, order (one in flight, awaiting each) or pipelined (<see cref="InFlight"/> per device), size,
/// whether the subscriber counts arrivals, and a publish rate per device (0: as fast as the client goes).
/// </summary>
internal sealed record CaseSpec(int Qos, bool Order, int Devices, int Messages, int InFlight, bool Retain, bool Subscriber = true, int Rate = 0)
{
    /// <summary>
    /// Gets the first level of the case's topics: only a case with the subscriber publishes under the subscriber's
    /// filter, so a case without it costs the broker and the subscriber nothing.
    /// </summary>
    public string TopicRoot => Subscriber ? "octopus/load" : "octopus/unwatched";

    /// <summary>Gets how many publishes each device keeps in flight: 1 with order on.</summary>
    public int Lanes => Order ? 1 : InFlight;

    public string Name =>
        $"QoS {Qos}, order {(Order ? "on (awaiting each)" : $"off ({InFlight} in flight)")}{(Rate > 0 ? $", {Rate:N0} msg/s" : string.Empty)}{(Subscriber ? string.Empty : ", no subscriber")}";

    public string Key =>
        $"qos{Qos}_{(Order ? "order" : "pipelined")}{(Rate > 0 ? $"_rate{Rate}" : string.Empty)}{(Subscriber ? string.Empty : "_nosub")}";
}
