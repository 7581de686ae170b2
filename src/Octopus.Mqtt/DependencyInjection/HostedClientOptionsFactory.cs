using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// Creates the <see cref="MqttDeviceClientOptions"/> of clients made through dependency injection with the defaults a
/// hosted adaptor wants, before any <c>ConfigureClient</c> or <c>Configure&lt;MqttDeviceClientOptions&gt;</c> runs:
/// the first connect retries in the background (a broker down at start does not stop the host), and a retained
/// <c>online</c> goes to the will topic at every (re)connect (a will configured in <c>message.will</c> never stays stale).
/// </summary>
internal sealed class HostedClientOptionsFactory(
    IEnumerable<IConfigureOptions<MqttDeviceClientOptions>> setups,
    IEnumerable<IPostConfigureOptions<MqttDeviceClientOptions>> postConfigures,
    IEnumerable<IValidateOptions<MqttDeviceClientOptions>> validations)
    : OptionsFactory<MqttDeviceClientOptions>(setups, postConfigures, validations)
{
    /// <summary>The availability payload of clients made through dependency injection: <c>online</c>.</summary>
    internal static ReadOnlySpan<byte> OnlinePayload => "online"u8;

    protected override MqttDeviceClientOptions CreateInstance(string name) => new()
    {
        FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground,
        OnlinePayload = OnlinePayload.ToArray(),
    };
}
