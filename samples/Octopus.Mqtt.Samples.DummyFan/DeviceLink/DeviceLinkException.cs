namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The DeviceLink file cannot be used; <see cref="Problems"/> lists every reason, each with its field path.</summary>
internal sealed class DeviceLinkException : Exception
{
    public DeviceLinkException()
        : this("The DeviceLink cannot be used.")
    {
    }

    public DeviceLinkException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public DeviceLinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public DeviceLinkException(string file, IReadOnlyList<string> problems)
        : base($"{file} cannot be used:\n  {string.Join("\n  ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>Gets the problems, each a line such as <c>spec.template.spec.gear: "turbo" is not a gear; allowed: slow, middle, fast</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
