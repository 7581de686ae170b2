namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>One workload: QoS, order (one in flight, awaiting each) or pipelined (<see cref="InFlight"/> per device), size.</summary>
internal sealed record CaseSpec(int Qos, bool Order, int Devices, int Messages, int InFlight, bool Retain)
{
    /// <summary>Gets how many publishes each device keeps in flight: 1 with order on.</summary>
    public int Lanes => Order ? 1 : InFlight;

    public string Name => $"QoS {Qos}, order {(Order ? "on (awaiting each)" : $"off ({InFlight} in flight)")}";

    public string Key => $"qos{Qos}_{(Order ? "order" : "pipelined")}";
}
