namespace Octopus.Mqtt.Cli;

/// <summary>The device identity given on the command line (<c>--namespace</c>, <c>--name</c>, <c>--uid</c>); each may be absent.</summary>
internal sealed record IdentityFlags(string? Namespace, string? Name, string? Uid)
{
    public static IdentityFlags None { get; } = new(null, null, null);

    public bool Any => Namespace is not null || Name is not null || Uid is not null;
}
