namespace Octopus.Mqtt.Cli;

/// <summary>What <c>pub</c> or <c>sub</c> was asked to do, as parsed from the command line.</summary>
/// <param name="File">The DeviceLink or bare options file.</param>
/// <param name="Identity">The identity given with <c>--namespace</c>, <c>--name</c> and <c>--uid</c>.</param>
/// <param name="RenderMap">The render map given with <c>--render</c>.</param>
/// <param name="ReferencesDirectory">The directory of the DeviceLink's references (<c>--references</c>), or <see langword="null"/>.</param>
/// <param name="Payload">For <c>pub</c>: the UTF-8 JSON to publish once; <see langword="null"/> for <c>sub</c>.</param>
/// <param name="Count">For <c>sub</c>: stop after this many messages (<c>--count</c>); <see langword="null"/> to run until stopped.</param>
internal sealed record ConnectRequest(
    string File,
    IdentityFlags Identity,
    IReadOnlyDictionary<string, string> RenderMap,
    string? ReferencesDirectory,
    byte[]? Payload,
    int? Count = null);
