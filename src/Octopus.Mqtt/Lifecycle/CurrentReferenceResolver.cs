namespace Octopus.Mqtt;

/// <summary>
/// The resolver a device's client is given: it asks whichever resolver the latest configuration of the device brought,
/// so a client kept across configurations reads its secrets from the current one at every reconnect.
/// </summary>
internal sealed class CurrentReferenceResolver : IReferenceResolver
{
    private volatile IReferenceResolver? _target;

    /// <summary>Gets or sets the resolver asked; <see langword="null"/> finds nothing.</summary>
    public IReferenceResolver? Target
    {
        get => _target;
        set => _target = value;
    }

    public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default) =>
        _target is { } target ? target.ResolveAsync(name, item, cancellationToken) : new ValueTask<byte[]?>((byte[]?)null);
}
