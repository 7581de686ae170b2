namespace Octopus.Mqtt;

/// <summary>The DeviceLink a client speaks for: its namespace, name and UID (from <c>metadata</c>).</summary>
/// <param name="Namespace">The DeviceLink's namespace, the value of <c>:namespace</c>.</param>
/// <param name="Name">The DeviceLink's name, the value of <c>:name</c>.</param>
/// <param name="Uid">The DeviceLink's UID, the value of <c>:uid</c> and the source of the client ID.</param>
public sealed record DeviceIdentity(string Namespace, string Name, string Uid);
