namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>How fast the fan turns in each gear.</summary>
internal static class FanGearExtensions
{
    /// <summary>Gets the speed the fan jumps to when switched on in, or changed to, <paramref name="gear"/>.</summary>
    public static int StartSpeed(this FanGear gear) => gear switch
    {
        FanGear.Middle => 100,
        FanGear.Fast => 200,
        _ => 0,
    };

    /// <summary>Gets the speed the fan rises to and then keeps.</summary>
    public static int TopSpeed(this FanGear gear) => gear.StartSpeed() + 100;

    /// <summary>Gets how long the fan takes to rise by one.</summary>
    public static TimeSpan RisePeriod(this FanGear gear) => gear switch
    {
        FanGear.Middle => TimeSpan.FromSeconds(2),
        FanGear.Fast => TimeSpan.FromSeconds(1),
        _ => TimeSpan.FromSeconds(3),
    };

    /// <summary>Gets the name the DeviceLink and the status use: <c>slow</c>, <c>middle</c> or <c>fast</c>.</summary>
    public static string ToSpecName(this FanGear gear) => gear switch
    {
        FanGear.Middle => "middle",
        FanGear.Fast => "fast",
        _ => "slow",
    };
}
